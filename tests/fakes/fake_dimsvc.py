#!/usr/bin/python3
"""A fake DIMSVC (MS-RRASM) for the rrasm integration tests, on Debian's python3-impacket.

Serves RMprAdminServerGetInfo (opnum 0), RRasAdminConnectionEnum (opnum 1), RRasAdminPortEnum
(opnum 4, level 0: RASI_PORT_0), RRouterInterfaceEnum (opnum 20, level 0: MPRI_INTERFACE_0) and
RRasAdminConnectionEnumEx (opnum 45) from a scenario file (JSON) over ncacn_ip_tcp on 127.0.0.1
and, with --smb-port, also as \\PIPE\\ROUTER behind impacket's SMB server (NTLMv2, SMB signing).
Replies are laid out here with struct at the offsets of research/rrasm.md §2.3 and
rrasm-real.md §5.2 (NDR20: no trailing gaps), and for opnums 4 and 20 at the [MS-RRASM]
2.2.1.2.75 / 2.2.1.2.81 offsets (tests/reference_dimsvc/README.md), independently of the
exporter's C++ decoder and of the reference's C structs.
The reference router (tests/reference_dimsvc: widl + Wine's rpcrt4) is the authority on layout;
this fake stays for what Wine cannot do: SMB named pipes, faults mid-reply, hangs.

Scenario keys (all optional but "connections"):
  server_info_level  highest opnum 0 level answered (-1: none); higher levels get 124
  max_level          highest opnum 1 level answered; higher levels get ERROR_INVALID_LEVEL
  enum_ex            opnum 45 present (else fault nca_op_rng_error, as pre-2008 R2 servers)
  ipx_chars          16 or 23: the PPP_IPXCP_INFO address width (level 1/2 stride)
  page_entries       at most this many entries per page (tiny pages)
  status             a Win32 status every call returns (5 access denied, 903 DDM not running)
  hang_opnums        opnums never answered (the call hangs until the client gives up)
  unsorted           serve entries (connections, interfaces, ports) out of handle order (a fixed
                     permutation, the same at every level and page), as a real server may
  refuse             {call: code}: the call answers this Win32 status, where call is "ex",
                     "level0".."level3", "info0".."info2", "interfaces0" (opnum 20) or "ports0"
                     (opnum 4); "ex": 1745 answers the fault nca_op_rng_error as a server without
                     opnum 45
  fault              {call: code}: the first such call fails with a DCE/RPC fault of this status
                     (e.g. 1726 RPC_S_CALL_FAILED, 1722, 1702); later calls are answered
  short_buffer       {call: bytes}: opnum 0 / opnum 1 answers success with a buffer of this many
                     zero bytes (one entry claimed for opnum 1), shorter than the level's struct;
                     opnum 4 / 20 ("ports0", "interfaces0") answer the first bytes of the real
                     first entry (zero-filled past it), one entry claimed, as the reference does
  server             {uptime, total_ports, ports_in_use, pptp, l2tp, sstp}
  connections        [{handle, interface, user, domain, computer, interface_name, duration,
                       flags, if_type, ikev2, ipv4, ipv6_prefix, ipv6_iid (16 hex digits),
                       auth ("pap", "chap", "mschap", "mschapv2", "eap"; IKEv2: "cert", "eap"),
                       tunnel_endpoint, quarantine, counters: [12 numbers]}]
  interfaces         [{handle, name, enabled (bool), type (ROUTER_INTERFACE_TYPE, 2 = full router:
                       two-way demand-dial), state (ROUTER_CONNECTION_STATE: 0 unreachable,
                       1 disconnected, 2 connecting, 3 connected), unreachability (bit mask),
                       last_error}]: opnum 20
  ports              [{handle, connection, condition (RAS_PORT_CONDITION: 0 non-operational,
                       1 disconnected, 2 calling back, 3 listening, 4 authenticating,
                       5 authenticated, 6 initializing), calls, duration, name, media,
                       device_name, device_type}]: opnum 4 (hRasConnection 0xFFFFFFFF: all,
                       else the ports whose connection it is)
                     Missing numbers are 0 (enabled: true), missing texts empty. page_entries and
                     status apply to opnums 4 and 20 as to opnum 1; both answer level 0 only
                     (else ERROR_INVALID_LEVEL)

Listens on 127.0.0.1 only; exits by itself after --lifetime seconds. Prints "READY <tcp> <smb>".
--call-log FILE appends the opnum of every request served, one a line (tests count the polls that
reach the server).
Workarounds for impacket 0.10 (research/rrasm.md §4): per-fragment headers, full-size fault PDUs,
SO_REUSEADDR, the real fault code for a missing opnum.
"""

import argparse
import json
import os
import socket
import struct
import sys
import threading

from impacket.dcerpc.v5 import rpcrt
from impacket.uuid import uuidtup_to_bin

DIMSVC = ('8f09f000-b7ed-11ce-bbd2-00001a181cad', '0.0')
NCA_OP_RNG_ERROR = 0x1C010002
ERROR_INVALID_LEVEL, ERROR_MORE_DATA = 124, 234
MPR_SERVER_SIZE = {0: 16, 1: 16, 2: 24}
AUTH = {"pap": (0xC023, 0), "spap": (0xC027, 0), "chap": (0xC223, 5), "mschap": (0xC223, 0x80),
        "mschapv2": (0xC223, 0x81), "eap": (0xC227, 0)}
IKEV2_AUTH = {"cert": 1, "eap": 2}


def wide(buf, off, text, chars):
    data = text.encode('utf-16-le')[:2 * (chars - 1)]
    buf[off:off + len(data)] = data


def put(buf, off, fmt, *values):
    struct.pack_into('<' + fmt, buf, off, *values)


def rasi_size(level, ipx):
    wide_ipx = 16 if ipx == 23 else 0
    return {0: 1116, 1: 272 + wide_ipx, 2: 828 + wide_ipx, 3: 788}[level]


def ipcp(buf, off, c):
    # PPP_IPCP_INFO(2): dwError, wszAddress[16] (server side), wszRemoteAddress[16] (client)
    wide(buf, off + 4, "10.255.0.1", 16)
    wide(buf, off + 36, c.get("ipv4", ""), 16)


def lcp(buf, off, c):
    proto, data = AUTH.get(c.get("auth", ""), (0, 0))
    put(buf, off + 12, "II", proto, data)  # dwRemoteAuthenticationProtocol/Data: the client


def rasi(c, level, ipx):
    shift = 16 if ipx == 23 else 0
    buf = bytearray(rasi_size(level, ipx))
    if level == 0:
        put(buf, 0, "IIIII", c["handle"], c.get("interface", 0), c.get("duration", 0), c.get("if_type", 0),
            c.get("flags", 1))
        wide(buf, 20, c.get("interface_name", ""), 257)
        wide(buf, 534, c.get("user", ""), 257)
        wide(buf, 1048, c.get("domain", ""), 16)
        wide(buf, 1080, c.get("computer", ""), 17)
    elif level == 1:
        put(buf, 0, "II", c["handle"], c.get("interface", 0))
        ipcp(buf, 48, c)
        put(buf, 224 + shift, "12I", *c.get("counters", [0] * 12))
    elif level == 2:
        put(buf, 0, "I", c["handle"])
        wide(buf, 4, c.get("user", ""), 257)
        put(buf, 520, "I", c.get("if_type", 0))
        ipcp(buf, 580, c)
        lcp(buf, 784 + shift, c)
    else:
        put(buf, 0, "III", 3, 0, c["handle"])
        wide(buf, 12, c.get("user", ""), 257)
        put(buf, 528, "I", c.get("if_type", 0))
        ipcp(buf, 588, c)
        if c.get("ipv6_prefix"):
            buf[684:692] = bytes.fromhex(c["ipv6_iid"])
            buf[700:708] = bytes.fromhex(c["ipv6_prefix"])
            put(buf, 708, "I", 64)
        else:
            put(buf, 672, "I", 720)  # dwError: IPv6CP not negotiated
        lcp(buf, 732, c)
        put(buf, 776, "I", c.get("quarantine", 0))
    return bytes(buf)


MPRI_INTERFACE_0_SIZE, RASI_PORT_0_SIZE = 540, 380


def mpri_interface_0(it):
    """MPRI_INTERFACE_0 (2.2.1.2.81), 32-bit C layout: wszInterfaceName[257], 2 alignment bytes,
    dwInterface, fEnabled, dwIfType, dwConnectionState (4-byte enums), fUnReachabilityReasons,
    dwLastError."""
    buf = bytearray(MPRI_INTERFACE_0_SIZE)
    wide(buf, 0, it.get("name", ""), 257)
    put(buf, 516, "6I", it["handle"], 1 if it.get("enabled", True) else 0, it.get("type", 0), it.get("state", 0),
        it.get("unreachability", 0), it.get("last_error", 0))
    return bytes(buf)


def rasi_port_0(pt):
    """RASI_PORT_0 (2.2.1.2.75): dwPort, dwConnection, dwPortCondition (4-byte enum),
    dwTotalNumberOfCalls, dwConnectDuration, then wszPortName[17] @20, wszMediaName[17] @54,
    wszDeviceName[129] @88, wszDeviceType[17] @346; 380 bytes."""
    buf = bytearray(RASI_PORT_0_SIZE)
    put(buf, 0, "5I", pt["handle"], pt.get("connection", 0), pt.get("condition", 0), pt.get("calls", 0),
        pt.get("duration", 0))
    wide(buf, 20, pt.get("name", ""), 17)
    wide(buf, 54, pt.get("media", ""), 17)
    wide(buf, 88, pt.get("device_name", ""), 129)
    wide(buf, 346, pt.get("device_type", ""), 17)
    return bytes(buf)


def ras_connection_ex(c):
    """One RAS_CONNECTION_EX_IDL element in NDR20, starting 8-aligned: tag, arm, inner union, handles.

    NDR20 marshals no trailing gap: the IKEv2 arm is 140 bytes (144 in memory), so an IKEv2
    element is 1620 bytes and hConnection follows the arm directly."""
    ikev2 = c.get("ikev2", False)
    buf = bytearray(1620 if ikev2 else 1672)
    buf[0] = 1  # union tag: revision 1
    a = 8
    put(buf, a, "BBH", 1, 1, 1672)
    put(buf, a + 4, "I", c.get("duration", 0))
    put(buf, a + 8, "H", c.get("if_type", 0))  # enum16
    put(buf, a + 12, "I", c.get("flags", 0x10 if ikev2 else 1))
    wide(buf, a + 16, c.get("interface_name", ""), 257)
    wide(buf, a + 530, c.get("user", ""), 257)
    wide(buf, a + 1044, c.get("domain", ""), 16)
    wide(buf, a + 1076, c.get("computer", ""), 17)
    put(buf, a + 1128, "H", c.get("quarantine", 0))  # enum16
    put(buf, a + 1140, "13I", *(list(c.get("counters", [0] * 12)) + [0]))
    wide(buf, a + 1192, c.get("tunnel_endpoint", ""), 65)
    wide(buf, a + 1322, "198.51.100.1", 65)
    buf[a + 1456] = 2 if ikev2 else 1
    p = a + 1464
    wide(buf, p + 4, "10.255.0.1", 16)
    wide(buf, p + 36, c.get("ipv4", ""), 16)
    v6 = p + (80 if ikev2 else 88)
    if c.get("ipv6_prefix"):
        buf[v6 + 12:v6 + 20] = bytes.fromhex(c["ipv6_iid"])
        buf[v6 + 20:v6 + 28] = bytes.fromhex(c["ipv6_prefix"])
        put(buf, v6 + 28, "I", 64)
    else:
        put(buf, v6, "I", 720)
    if ikev2:
        put(buf, p + 124, "I", IKEV2_AUTH.get(c.get("auth", ""), 0))
        put(buf, a + 1604, "II", c["handle"], c.get("interface", 0))
    else:
        proto, data = AUTH.get(c.get("auth", ""), (0, 0))
        put(buf, p + 140, "II", proto, data)
        put(buf, a + 1656, "II", c["handle"], c.get("interface", 0))
    return bytes(buf)


class Dimsvc:
    def __init__(self, scenario):
        self.s = scenario
        self.connections = self.serving_order(scenario.get("connections", []))
        self.interfaces = self.serving_order(scenario.get("interfaces", []))
        self.ports = self.serving_order(scenario.get("ports", []))
        self.faulted = set()

    def serving_order(self, items):
        items = sorted(items, key=lambda c: c["handle"])
        if self.s.get("unsorted"):  # odd positions from the end, then even ones: never sorted
            items = items[1::2][::-1] + items[0::2]
        return items

    def failure(self, call):
        """(kind, code) for the scenario's refusal or one-off fault of `call`, else None."""
        if call in self.s.get("fault", {}) and call not in self.faulted:
            self.faulted.add(call)
            return 'fault', self.s["fault"][call]
        if call in self.s.get("refuse", {}):
            code = self.s["refuse"][call]
            return ('fault', NCA_OP_RNG_ERROR) if code == 1745 else ('status', code)
        return None

    def page(self, pref_max, resume, entry_size, items=None):
        """MS-RRASM 3.1.4.46: -1 = all; fewer bytes than one entry = none; else one more than fits."""
        remaining = (self.connections if items is None else items)[resume:]
        if pref_max == 0xFFFFFFFF:
            take = len(remaining)
        elif pref_max < entry_size:
            take = 0
        else:
            take = pref_max // entry_size + 1
        take = min(take, self.s.get("page_entries", take), len(remaining))
        more = take < len(remaining)
        return remaining[:take], len(remaining), (resume + take if more else 0), more

    def server_get_info(self, stub):
        (level,) = struct.unpack_from('<I', stub, 0)
        status = self.s.get("status", 0)
        failed = self.failure("info%d" % level)
        if failed and failed[0] == 'fault':
            return failed
        if failed:
            status = failed[1]
        if not status and level > self.s.get("server_info_level", 2):
            status = ERROR_INVALID_LEVEL
        if status:
            return struct.pack('<III', 0, 0, status)
        short = self.s.get("short_buffer", {}).get("info%d" % level)
        if short is not None:
            return self.container(bytes(short)) + struct.pack('<I', 0)
        srv = self.s.get("server", {})
        if level == 0:
            body = struct.pack('<IIII', 0, srv.get("uptime", 0), srv.get("total_ports", 0),
                               srv.get("ports_in_use", 0))
        else:
            body = struct.pack('<IIII', srv.get("pptp", 0), 0, srv.get("l2tp", 0), 0)
            if level == 2:
                body += struct.pack('<II', srv.get("sstp", 0), 0)
        return self.container(body) + struct.pack('<I', 0)

    def connection_enum(self, stub):
        level, size, ptr, pref_max, resume_ptr = struct.unpack_from('<IIIII', stub, 0)
        resume = struct.unpack_from('<I', stub, 20)[0] if resume_ptr else 0
        status = self.s.get("status", 0)
        failed = self.failure("level%d" % level)
        if failed and failed[0] == 'fault':
            return failed
        if failed:
            status = failed[1]
        if not status and level > self.s.get("max_level", 3):
            status = ERROR_INVALID_LEVEL
        if status:
            return struct.pack('<IIIIIII', 0, 0, 0, 0, 0x20004, resume, status)
        short = self.s.get("short_buffer", {}).get("level%d" % level)
        if short is not None:
            return self.container(bytes(short)) + struct.pack('<IIIII', 1, 1, 0x20004, 0, 0)
        ipx = self.s.get("ipx_chars", 16)
        entries, total, next_resume, more = self.page(pref_max, resume, rasi_size(level, ipx))
        buffer = b''.join(rasi(c, level, ipx) for c in entries)
        out = self.container(buffer)
        out += struct.pack('<IIIII', len(entries), total, 0x20004, next_resume,
                           ERROR_MORE_DATA if more else 0)
        return out

    def flat_enum(self, stub, offset, level, call, items, entry_size, layout):
        """Opnums 4 and 20: the DIM_INFORMATION_CONTAINER at `offset` of the request, then
        dwPreferedMaximumLength and the [in, out, unique] resume handle; level 0 only. Faults
        (once), then the scenario-wide status, then refusals, as the reference orders them."""
        size, ptr = struct.unpack_from('<II', stub, offset)
        offset += 8
        if ptr:  # a buffer the caller MUST NOT send: its conformant bytes, padded to 4
            offset += 4 + size + (-size % 4)
        pref_max, resume_ptr = struct.unpack_from('<II', stub, offset)
        resume = struct.unpack_from('<I', stub, offset + 8)[0] if resume_ptr else 0
        failed = self.failure(call) if level == 0 else None
        if failed and failed[0] == 'fault':
            return failed
        status = self.s.get("status", 0) or (failed[1] if failed else 0)
        if not status and level != 0:
            status = ERROR_INVALID_LEVEL

        def reply(buffer, read, total, next_resume, status):
            # Referents numbered as Wine's NDR engine does: 0x20000, 0x20004, ... in order of use.
            ref = 0x20004 if buffer else 0x20000
            tail = struct.pack('<II', ref, next_resume) if resume_ptr else struct.pack('<I', 0)
            return self.container(buffer) + struct.pack('<II', read, total) + tail + struct.pack('<I', status)

        if status:
            return reply(b'', 0, 0, resume, status)
        short = self.s.get("short_buffer", {}).get(call)
        if short is not None:  # one entry claimed: the first bytes of the first one from `resume`
            first = layout(items[resume]) if resume < len(items) else b''
            return reply((first + bytes(short))[:short], 1, 1, 0, 0)
        entries, total, next_resume, more = self.page(pref_max, resume, entry_size, items)
        return reply(b''.join(layout(x) for x in entries), len(entries), total, next_resume,
                     ERROR_MORE_DATA if more else 0)

    def interface_enum(self, stub):
        """RRouterInterfaceEnum (opnum 20, 3.1.4.21): dwLevel, pInfoStruct, prefmax, resume."""
        (level,) = struct.unpack_from('<I', stub, 0)
        return self.flat_enum(stub, 4, level, "interfaces0", self.interfaces, MPRI_INTERFACE_0_SIZE,
                              mpri_interface_0)

    def port_enum(self, stub):
        """RRasAdminPortEnum (opnum 4, 3.1.4.5): dwLevel, hRasConnection, pInfoStruct, prefmax,
        resume. hRasConnection 0xFFFFFFFF (INVALID_HANDLE_VALUE): every port; else that
        connection's ports."""
        level, connection = struct.unpack_from('<II', stub, 0)
        ports = [p for p in self.ports if connection == 0xFFFFFFFF or p.get("connection", 0) == connection]
        return self.flat_enum(stub, 8, level, "ports0", ports, RASI_PORT_0_SIZE, rasi_port_0)

    @staticmethod
    def container(buffer):
        """DIM_INFORMATION_CONTAINER: size, referent, then the conformant bytes padded to 4."""
        out = struct.pack('<II', len(buffer), 0x20000 if buffer else 0)
        if buffer:
            out += struct.pack('<I', len(buffer)) + buffer + b'\0' * (-len(buffer) % 4)
        return out

    def connection_enum_ex(self, stub):
        revision, typ, size, pref_max, resume_ptr = struct.unpack_from('<BBHII', stub, 0)
        resume = struct.unpack_from('<I', stub, 12)[0] if resume_ptr else 0
        status = self.s.get("status", 0)
        failed = self.failure("ex")
        if failed and failed[0] == 'fault':
            return failed
        if failed:
            status = failed[1]
        if status:
            return struct.pack('<IIIIII', 0, 0, 0, 0x20004, resume, status)
        entries, total, next_resume, more = self.page(pref_max, resume, 1672)
        out = bytearray(struct.pack('<III', len(entries), total, 0x20000 if entries else 0))
        if entries:
            out += struct.pack('<I', len(entries))
            for c in entries:
                out += b'\0' * (-len(out) % 8)
                out += ras_connection_ex(c)
            out += b'\0' * (-len(out) % 4)
        out += struct.pack('<III', 0x20004, next_resume, ERROR_MORE_DATA if more else 0)
        return bytes(out)


class DimsvcServer(rpcrt.DCERPCServer):
    """impacket's DCERPCServer with its framing bugs fixed and DIMSVC's opnums."""

    def __init__(self, dimsvc, enum_ex, call_log=None):
        rpcrt.DCERPCServer.__init__(self)
        self.call_log = call_log
        self.hang_opnums = set(dimsvc.s.get("hang_opnums", []))
        self._sock.close()
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(('127.0.0.1', 0))
        calls = {0: dimsvc.server_get_info, 1: dimsvc.connection_enum, 4: dimsvc.port_enum,
                 20: dimsvc.interface_enum}
        if enum_ex:
            calls[45] = dimsvc.connection_enum_ex
        self.addCallbacks(DIMSVC, '\\PIPE\\ROUTER', calls)
        self.daemon = True

    def processRequest(self, data):
        packet = rpcrt.MSRPCHeader(data)
        if packet['type'] != rpcrt.MSRPC_REQUEST:
            return rpcrt.DCERPCServer.processRequest(self, data)
        request = rpcrt.MSRPCRequestHeader(data)
        if self.call_log:
            with open(self.call_log, 'a') as f:
                f.write(f"{request['op_num']}\n")
        if request['op_num'] in self.hang_opnums:
            threading.Event().wait()  # until --lifetime ends the process
        call = self._listenUUIDS[self._boundUUID]['CallBacks'].get(request['op_num'])
        answer = ('fault', NCA_OP_RNG_ERROR) if call is None else call(request['pduData'])
        if isinstance(answer, tuple):  # ('fault', status): alloc_hint, p_cont_id, cancel_count, reserved, status, reserved
            return ('fault', request['call_id'], struct.pack('<IHBBII', 0, 0, 0, 0, answer[1], 0))
        return ('response', request['call_id'], answer)

    def bind(self, packet, bind):
        # The bind is the first PDU of a connection; impacket accepts the socket in run().
        # TCP_NODELAY: with Nagle, a reply's second small write waited for the client's delayed
        # ACK (about 40 ms per call on Linux; bench/results/poll_link.md).
        self._clientSock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return rpcrt.DCERPCServer.bind(self, packet, bind)

    def send(self, answer):
        if not isinstance(answer, tuple):
            return rpcrt.DCERPCServer.send(self, answer)
        kind, call_id, body = answer
        if kind == 'fault':
            self._clientSock.sendall(self.pdu(rpcrt.MSRPC_FAULT, 3, call_id, body))
            return
        chunk = 4096
        pieces = [body[i:i + chunk] for i in range(0, len(body), chunk)] or [b'']
        pdus = []
        for i, piece in enumerate(pieces):
            flags = (rpcrt.PFC_FIRST_FRAG if i == 0 else 0) | (rpcrt.PFC_LAST_FRAG if i == len(pieces) - 1 else 0)
            # alloc_hint, p_cont_id, cancel_count, reserved, then the stub fragment
            pdus.append(self.pdu(rpcrt.MSRPC_RESPONSE, flags, call_id,
                                 struct.pack('<IHBB', len(body) - i * chunk, 0, 0, 0) + piece))
        self._clientSock.sendall(b''.join(pdus))  # the whole reply in one write

    @staticmethod
    def pdu(ptype, flags, call_id, body):
        return struct.pack('<BBBB4sHHI', 5, 0, ptype, flags, b'\x10\0\0\0', 16 + len(body), 0, call_id) + body


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--scenario', required=True)
    ap.add_argument('--smb-port', type=int, default=0, help='also serve \\PIPE\\ROUTER over SMB on this port')
    ap.add_argument('--user', default='rrasadmin')
    ap.add_argument('--password', default='')
    ap.add_argument('--domain', default='WORKGROUP')
    ap.add_argument('--lifetime', type=float, default=120, help='exit after this many seconds')
    ap.add_argument('--call-log', help='append the opnum of every request served to this file')
    args = ap.parse_args()
    with open(args.scenario) as f:
        scenario = json.load(f)

    threading.Timer(args.lifetime, lambda: os._exit(3)).start()
    server = DimsvcServer(Dimsvc(scenario), scenario.get("enum_ex", True), args.call_log)
    server.start()
    tcp_port = server.getListenPort()
    if args.smb_port:
        from impacket import smbserver
        from impacket.ntlm import compute_lmhash, compute_nthash
        share_dir = os.path.dirname(os.path.abspath(args.scenario))
        smb = smbserver.SimpleSMBServer(listenAddress='127.0.0.1', listenPort=args.smb_port)
        smb.setSMB2Support(True)
        smb.addShare('FAKE', share_dir, 'fake share')
        smb.addCredential(args.user, 0, compute_lmhash(args.password), compute_nthash(args.password))
        smb.registerNamedPipe('ROUTER', ('127.0.0.1', tcp_port))
        smb.setSMBChallenge('')
        smb.setLogFile(os.devnull)
        threading.Thread(target=smb.start, daemon=True).start()
    print("READY", tcp_port, args.smb_port, flush=True)
    threading.Event().wait()


if __name__ == '__main__':
    main()
