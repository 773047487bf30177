#include "sources/simulator/simulated_router.h"

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cmath>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "router/wire_sizes.h"

namespace rras {

namespace {

// splitmix64: a portable generator, so a seed means the same routers on every platform
// (std::uniform_*_distribution is implementation-defined).
uint64_t mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Names from many scripts, and a few that need escaping in the exposition format.
constexpr std::array<const char*, 16> kGivenNames = {"alice",  "björn",  "zoë",   "łukasz",  "søren",
                                                     "josé",   "aiko",   "佐藤",  "müller",  "d'artagnan",
                                                     "nguyễn", "ólafur", "renée", "Алексей", "quote\"back\\slash",
                                                     "bob"};
constexpr std::array<const char*, 3> kDomains = {"CORP", "EXAMPLE", ""};

// The codes the fault knobs name.
constexpr std::pair<std::string_view, ApiCode> kFaultCodes[] = {
    {"access_denied", status::kAccessDenied},
    {"not_supported", status::kNotSupported},
    {"call_not_implemented", status::kCallNotImplemented},
    {"procnum_out_of_range", status::kRpcProcnumOutOfRange},
    {"ddm_not_running", status::kDdmNotRunning},
    {"server_unavailable", status::kRpcServerUnavailable},
    {"invalid_binding", status::kRpcInvalidBinding},
    {"unknown_if", status::kRpcUnknownIf},
};

std::string ipv4For(uint64_t key) {
  return "10." + std::to_string((key >> 16) & 0xFF) + "." + std::to_string((key >> 8) & 0xFF) + "." +
         std::to_string(1 + key % 254);
}

bool isIkev2(bool enum_ex, uint64_t key) { return enum_ex && key % 3 == 0; }

// The paging rule of every enumeration (MS-RRASM 3.1.4.46): from the resume position, as many
// entries as wire::entriesPerPage allows; ERROR_MORE_DATA and the next position while entries
// remain (unless the resume handle is stuck), success and resume 0 at the end.
template <class Entry, class Describe>
ApiCode fillPage(size_t count, uint32_t entry_size, uint32_t pref_max_len, bool resume_stuck, uint32_t& resume_handle,
                 Page<Entry>& page, Describe&& describe) {
  const size_t start = std::min<size_t>(resume_handle, count);
  const size_t remaining = count - start;
  const auto take = static_cast<size_t>(std::min<uint64_t>(remaining, wire::entriesPerPage(pref_max_len, entry_size)));
  page.entries.reserve(take);
  for (size_t i = start; i < start + take; ++i) page.entries.push_back(describe(i));
  page.entries_read = static_cast<uint32_t>(take);
  page.total_entries = static_cast<uint32_t>(remaining);
  if (take < remaining) {
    if (!resume_stuck) resume_handle = static_cast<uint32_t>(start + take);
    return status::kMoreData;
  }
  resume_handle = 0;
  return status::kSuccess;
}

// ---- ports ----

struct DeviceInfo {
  const char* protocol;
  const char* device_name;
};
// Indexed by SimulatedRouter::Device; the port names number the devices from 1 in this order
// (VPN1-0 is PPTP's first port).
constexpr std::array<DeviceInfo, SimulatedRouter::kDevices> kDeviceInfo = {{{"pptp", "WAN Miniport (PPTP)"},
                                                                            {"l2tp", "WAN Miniport (L2TP)"},
                                                                            {"sstp", "WAN Miniport (SSTP)"},
                                                                            {"ikev2", "WAN Miniport (IKEv2)"},
                                                                            {"gre", "WAN Miniport (GRE)"}}};
constexpr uint32_t kDefaultPortsPerProtocol = 128;
// Connections still authenticating: arrivals take about this long, and which ones are in
// progress changes every bucket of the clock.
constexpr double kAuthenticationSeconds = 4;
constexpr double kPendingBucketSeconds = 5;

// ---- interfaces ----

// One stretch of a site-to-site interface's cycle: from `from` seconds into the cycle.
struct Step {
  double from;
  InterfaceState state;
  uint32_t reasons;     // fUnReachabilityReasons
  uint32_t last_error;  // dwLastError
};
constexpr uint32_t kConnectionFailure = 0x04, kNoDevice = 0x40, kAdminDisabled = 0x02;
constexpr uint32_t kErrorFromDevice = 651, kErrorNoAnswer = 678;
constexpr double kCycleSeconds = 24 * 60;
// The two flapping roles. A: up 8 min, drops (unreachable, 678), retries after 6 min and fails
// (unreachable with no_device, 651), retries after 9 min and connects. B does the same at other
// times, so that at every moment one of the two is unreachable: each one's connected and
// connecting stretches lie inside the other's unreachable ones.
constexpr Step kFlapA[] = {{0, InterfaceState::kConnected, 0, 0},
                           {480, InterfaceState::kUnreachable, kConnectionFailure, kErrorNoAnswer},
                           {840, InterfaceState::kConnecting, 0, kErrorNoAnswer},
                           {870, InterfaceState::kUnreachable, kConnectionFailure | kNoDevice, kErrorFromDevice},
                           {1410, InterfaceState::kConnecting, 0, kErrorFromDevice}};
constexpr Step kFlapB[] = {{0, InterfaceState::kUnreachable, kConnectionFailure | kNoDevice, kErrorFromDevice},
                           {480, InterfaceState::kConnecting, 0, kErrorFromDevice},
                           {510, InterfaceState::kConnected, 0, 0},
                           {840, InterfaceState::kUnreachable, kConnectionFailure, kErrorNoAnswer},
                           {1050, InterfaceState::kConnecting, 0, kErrorNoAnswer},
                           {1080, InterfaceState::kUnreachable, kConnectionFailure | kNoDevice, kErrorFromDevice}};
constexpr std::array<const char*, 8> kSiteNames = {"Branch-Frankfurt", "Branch-Lyon",      "Zweigstelle-Köln",
                                                   "DC-Amsterdam",     "Filial-São-Paulo", "Branch-Osaka",
                                                   "Branch-Toronto",   "Branch-Madrid"};

template <size_t N>
const Step& stepAt(const Step (&steps)[N], double x) {
  const Step* at = &steps[0];
  for (const Step& s : steps) {
    if (s.from <= x) at = &s;
  }
  return *at;
}

}  // namespace

ApiCode simulatorFaultCode(const std::string& name) {
  for (const auto& [n, code] : kFaultCodes) {
    if (n == name) return code;
  }
  return status::kSuccess;
}

SimulatedRouter::SimulatedRouter(SimulatorConfig config, WallClock clock)
    : config_(std::move(config)), clock_(std::move(clock)), rng_state_(mix(config_.seed)) {
  const double now = clock_();
  last_advance_ = now;
  boot_time_ = now - 3 * 86400.0 - static_cast<double>(mix(config_.seed ^ 0xB007) % 86400);
  sizePorts();
  members_.reserve(config_.connections);
  // The same arrivals one by one would give the same population, in quadratic time.
  std::unordered_set<uint32_t> initial;
  initial.reserve(config_.connections);
  for (uint32_t i = 0; i < config_.connections; ++i) {
    // Sessions of up to eight hours that started before the exporter did.
    if (!addMember(now - static_cast<double>(nextRandom() % (uint64_t{8} * 3600)), &initial)) break;
  }
  std::sort(members_.begin(), members_.end(), [](const Member& a, const Member& b) { return a.handle < b.handle; });
}

uint64_t SimulatedRouter::nextRandom() {
  rng_state_ = mix(rng_state_);
  return rng_state_;
}

uint64_t SimulatedRouter::memberKey(uint32_t handle) const { return mix(config_.seed * 0x100000001B3ull ^ handle); }

void SimulatedRouter::sizePorts() {
  // The connections each protocol is expected to carry: IKEv2 one in three with EnumEx, PPP split
  // 3:2:1 over SSTP, L2TP and PPTP (deviceFor).
  const double ikev2 = config_.enum_ex ? config_.connections / 3.0 : 0.0;
  const double ppp = config_.connections - ikev2;
  std::array<double, kDevices> expected{};
  expected[kIkev2] = ikev2;
  expected[kSstp] = ppp / 2;
  expected[kL2tp] = ppp / 3;
  expected[kPptp] = ppp / 6;

  std::array<uint32_t, kDevices> counts{};
  if (!config_.ports.empty()) {
    for (size_t d = 0; d < kDevices; ++d) {
      if (auto it = config_.ports.find(kDeviceInfo[d].protocol); it != config_.ports.end()) counts[d] = it->second;
    }
  } else {
    // The protocols a server of that age offers: IKEv2 with EnumEx (Windows Server 2008 R2 on).
    std::vector<Device> offered = {kSstp, kL2tp, kPptp};
    if (config_.enum_ex) offered.insert(offered.begin() + 1, kIkev2);
    for (size_t i = 0; i < offered.size(); ++i) {
      const Device d = offered[i];
      if (config_.total_ports > 0) {
        const auto n = static_cast<uint32_t>(offered.size());
        counts[d] = config_.total_ports / n + (i < config_.total_ports % n ? 1 : 0);
      } else {
        // 128 ports each, more where the connections expected on a protocol need them (+25 %).
        counts[d] = std::max(kDefaultPortsPerProtocol, static_cast<uint32_t>(std::ceil(expected[d] * 1.25)));
      }
    }
  }
  total_ports_ = 0;
  for (size_t d = 0; d < kDevices; ++d) {
    PortBlock& block = ports_[d];
    block.count = block.free = counts[d];
    block.occupant.assign(counts[d], 0);
    block.calls.resize(counts[d]);
    // Calls the ports took since the service started (3 to 4 days ago): arrivals take the lowest
    // free port, so the ports below the usual load took most of them.
    const auto busy = static_cast<uint32_t>(std::ceil(expected[d] * 1.1));
    for (uint32_t i = 0; i < counts[d]; ++i) {
      const uint64_t h = mix(config_.seed ^ 0xCA11 ^ (uint64_t{d + 1} << 40) ^ i);
      block.calls[i] = static_cast<uint32_t>(i < busy ? 20 + h % 200 : h % 8);
    }
    block.free_bits.assign((counts[d] + 63) / 64, ~uint64_t{0});
    if (counts[d] % 64 != 0) block.free_bits.back() = (uint64_t{1} << (counts[d] % 64)) - 1;
    block.first_free_word = 0;
    total_ports_ += counts[d];
  }
}

// The device whose port a connection with this key takes: IKEv2 connections an IKEv2 port, PPP
// ones SSTP, L2TP or PPTP (3:2:1 by key, the next of the three when that one is full). None when
// no port is free; `taken` ports of each device count as not free.
std::optional<uint8_t> SimulatedRouter::deviceFor(uint64_t key, const std::array<uint32_t, kDevices>& taken) const {
  auto hasFree = [&](Device d) { return ports_[d].free > taken[d]; };
  if (isIkev2(config_.enum_ex, key)) {
    if (hasFree(kIkev2)) return kIkev2;
    return std::nullopt;
  }
  static constexpr Device kPpp[] = {kSstp, kL2tp, kPptp};
  const uint64_t pick = (key >> 24) % 6;
  const size_t first = pick < 3 ? 0 : pick < 5 ? 1 : 2;
  for (size_t i = 0; i < 3; ++i) {
    const Device d = kPpp[(first + i) % 3];
    if (hasFree(d)) return d;
  }
  return std::nullopt;
}

// The first `n` free ports of a device, lowest first (fewer when fewer are free), in one pass.
std::vector<uint32_t> SimulatedRouter::firstFreePorts(const PortBlock& block, uint32_t n) const {
  std::vector<uint32_t> out;
  out.reserve(n);
  for (size_t w = block.first_free_word; w < block.free_bits.size() && out.size() < n; ++w) {
    for (uint64_t bits = block.free_bits[w]; bits != 0 && out.size() < n; bits &= bits - 1) {
      out.push_back(static_cast<uint32_t>(w * 64 + static_cast<size_t>(std::countr_zero(bits))));
    }
  }
  return out;
}

void SimulatedRouter::occupyPort(uint8_t device, uint32_t port, uint32_t connection) {
  PortBlock& block = ports_[device];
  block.occupant[port] = connection;
  ++block.calls[port];
  block.free_bits[port / 64] &= ~(uint64_t{1} << (port % 64));
  --block.free;
  while (block.first_free_word < block.free_bits.size() && block.free_bits[block.first_free_word] == 0) {
    ++block.first_free_word;
  }
}

void SimulatedRouter::releasePort(uint8_t device, uint32_t port) {
  PortBlock& block = ports_[device];
  block.occupant[port] = 0;
  block.free_bits[port / 64] |= uint64_t{1} << (port % 64);
  ++block.free;
  block.first_free_word = std::min<size_t>(block.first_free_word, port / 64);
}

bool SimulatedRouter::addMember(double start, std::unordered_set<uint32_t>* unsorted) {
  // A connection needs a port of its protocol; an arrival that finds none is refused, as RRAS
  // refuses it, and the next caller tries (at most 64 times).
  static constexpr std::array<uint32_t, kDevices> kNoneTaken{};
  for (int attempts = 0; attempts < 64;) {
    // Handles are random 32-bit values, so an arrival can sort before the resume position: the
    // duplicates across pages that a real router produces when sessions come and go.
    const auto handle = static_cast<uint32_t>(nextRandom() | 1u);
    auto it = members_.end();
    if (unsorted) {
      if (unsorted->count(handle) != 0) continue;
    } else {
      it = std::lower_bound(members_.begin(), members_.end(), handle,
                            [](const Member& m, uint32_t h) { return m.handle < h; });
      if (it != members_.end() && it->handle == handle) continue;
    }
    const auto device = deviceFor(memberKey(handle), kNoneTaken);
    if (!device) {
      ++attempts;
      continue;
    }
    const uint32_t port = firstFreePorts(ports_[*device], 1).front();
    occupyPort(*device, port, handle);
    Member m{};
    m.handle = handle;
    m.device = *device & 7u;
    m.port = port & 0x1FFFFFFFu;  // at most 300000 ports a device
    m.start = start;
    if (unsorted) unsorted->insert(handle);
    members_.insert(it, m);
    return true;
  }
  return false;
}

void SimulatedRouter::removeRandomMember() {
  if (members_.empty()) return;
  const auto it = members_.begin() + static_cast<long>(nextRandom() % members_.size());
  releasePort(it->device, it->port);
  members_.erase(it);
}

void SimulatedRouter::advanceClock(double now) {
  if (now <= last_advance_) return;
  churn_carry_ += (now - last_advance_) * config_.churn_per_minute / 60.0;
  last_advance_ = now;
  while (churn_carry_ >= 1.0) {
    churn_carry_ -= 1.0;
    removeRandomMember();
    addMember(now);
  }
}

void SimulatedRouter::churn(uint32_t leave, uint32_t arrive) {
  std::lock_guard lock(mu_);
  const double now = clock_();
  for (uint32_t i = 0; i < leave; ++i) removeRandomMember();
  for (uint32_t i = 0; i < arrive; ++i) addMember(now);
}

size_t SimulatedRouter::connectionCount() {
  std::lock_guard lock(mu_);
  advanceClock(clock_());
  return members_.size();
}

bool SimulatedRouter::isServiceRunning() { return config_.service_running; }

ApiCode SimulatedRouter::connect(RouterHandle& handle) {
  std::lock_guard lock(mu_);
  if (ApiCode code = simulatorFaultCode(config_.connect_error); code != status::kSuccess) return code;
  cancelled_ = false;
  handle = next_handle_++;
  open_handles_.push_back(handle);
  return status::kSuccess;
}

void SimulatedRouter::disconnect(RouterHandle handle) {
  std::lock_guard lock(mu_);
  std::erase(open_handles_, handle);
}

ApiCode SimulatedRouter::checkHandle(RouterHandle handle) const {
  return std::find(open_handles_.begin(), open_handles_.end(), handle) == open_handles_.end()
             ? status::kRpcInvalidBinding
             : status::kSuccess;
}

void SimulatedRouter::cancel() {
  {
    std::lock_guard lock(mu_);
    cancelled_ = true;
  }
  cancelled_cv_.notify_all();
}

bool SimulatedRouter::hang(std::unique_lock<std::mutex>& lock, double seconds) {
  if (seconds <= 0) return false;
  cancelled_cv_.wait_for(lock, std::chrono::duration<double>(seconds), [this] { return cancelled_; });
  return cancelled_;
}

// Connections still authenticating, each on the next free port of its protocol (the port an
// arrival takes): about churn_per_minute x 4 s / 60 of them, which ones changing every 5 s.
std::vector<SimulatedRouter::PendingCall> SimulatedRouter::pendingCalls(double now) const {
  std::vector<PendingCall> out;
  if (config_.churn_per_minute <= 0) return out;
  const auto bucket = static_cast<uint64_t>(std::max(0.0, std::floor(now / kPendingBucketSeconds)));
  const uint64_t h = mix(config_.seed ^ 0xA07E ^ (bucket * 0x9E3779B97F4A7C15ull));
  const double u = static_cast<double>(h >> 11) * 0x1p-53;
  const auto n = static_cast<uint32_t>(std::min(1000.0, config_.churn_per_minute * kAuthenticationSeconds / 60.0 + u));
  // Each call's protocol as for an arrival, then the next free ports of each device in turn.
  std::array<uint32_t, kDevices> taken{};
  std::vector<std::pair<uint8_t, uint32_t>> calls;  // device, seconds since the call came in
  for (uint32_t j = 0; j < n; ++j) {
    const uint64_t key = mix(h + j + 1);
    const auto device = deviceFor(key, taken);
    if (!device) continue;
    ++taken[*device];
    calls.emplace_back(*device, static_cast<uint32_t>(1 + (key >> 40) % 4));
  }
  std::array<std::vector<uint32_t>, kDevices> free;
  std::array<size_t, kDevices> next{};
  for (size_t d = 0; d < kDevices; ++d) free[d] = firstFreePorts(ports_[d], taken[d]);
  out.reserve(calls.size());
  for (const auto& [device, seconds] : calls) out.push_back(PendingCall{device, free[device][next[device]++], seconds});
  std::sort(out.begin(), out.end(), [](const PendingCall& a, const PendingCall& b) {
    return std::pair(a.device, a.port) < std::pair(b.device, b.port);
  });
  return out;
}

ApiCode SimulatedRouter::serverInfo(RouterHandle handle, int level, ServerInfo& out) {
  std::lock_guard lock(mu_);
  if (ApiCode code = checkHandle(handle)) return code;
  if (level < 0 || level > 2 || level > config_.server_info_level) return status::kInvalidLevel;
  if (!config_.service_running || config_.ddm_not_running) return status::kDdmNotRunning;
  const double now = clock_();
  advanceClock(now);
  out = ServerInfo{};
  out.level = level;
  if (level == 0) {  // MPR_SERVER_0; levels 1 and 2 carry only port counts, as in mprapi.h
    out.uptime_seconds = static_cast<uint32_t>(now - boot_time_);
    out.total_ports = total_ports_;
    out.ports_in_use = static_cast<uint32_t>(members_.size() + pendingCalls(now).size());
  }
  if (level >= 1) {
    out.pptp_ports = ports_[kPptp].count;
    out.l2tp_ports = ports_[kL2tp].count;
  }
  if (level >= 2) out.sstp_ports = ports_[kSstp].count;
  return status::kSuccess;
}

ApiCode SimulatedRouter::beginEnumeration(std::unique_lock<std::mutex>& lock, RouterHandle handle, ApiCode refusal,
                                          double& now, double call_hang_seconds) {
  if (ApiCode code = checkHandle(handle)) return code;
  if (refusal != status::kSuccess) return refusal;
  if (!config_.service_running || config_.ddm_not_running) return status::kDdmNotRunning;
  if (hang(lock, std::max(config_.hang_seconds, call_hang_seconds))) return status::kCancelled;
  ++enum_calls_;
  if (config_.binding_lost_every != 0 && enum_calls_ % config_.binding_lost_every == 0) {
    std::erase(open_handles_, handle);
    return status::kRpcInvalidBinding;
  }
  now = clock_();
  advanceClock(now);
  for (uint32_t i = 0; i < config_.churn_per_call; ++i) {
    removeRandomMember();
    addMember(now);
  }
  return status::kSuccess;
}

ApiCode SimulatedRouter::enumConnections(RouterHandle handle, int level, uint32_t pref_max_len, uint32_t& resume_handle,
                                         ConnectionPage& page) {
  if (level < 0 || level > 3) return status::kInvalidLevel;
  return enumerate(handle, level, pref_max_len, resume_handle, page);
}

ApiCode SimulatedRouter::enumConnectionsEx(RouterHandle handle, uint32_t pref_max_len, uint32_t& resume_handle,
                                           ConnectionPage& page) {
  return enumerate(handle, -1, pref_max_len, resume_handle, page);
}

ApiCode SimulatedRouter::enumerate(RouterHandle handle, int level, uint32_t pref_max_len, uint32_t& resume_handle,
                                   ConnectionPage& page) {
  std::unique_lock lock(mu_);
  page = ConnectionPage{};
  const ApiCode refusal = level < 0 && !config_.enum_ex ? status::kRpcProcnumOutOfRange
                          : level > config_.max_level   ? status::kInvalidLevel
                                                        : status::kSuccess;
  double now = 0;
  if (ApiCode code = beginEnumeration(lock, handle, refusal, now)) return code;
  const uint32_t entry_size =
      level < 0 ? wire::kRasConnectionExSize : wire::kRasiConnectionSize[static_cast<size_t>(level)];
  return fillPage(members_.size(), entry_size, pref_max_len, config_.resume_stuck, resume_handle, page,
                  [&](size_t i) { return describe(members_[i], level, now); });
}

ApiCode SimulatedRouter::enumInterfaces(RouterHandle handle, uint32_t pref_max_len, uint32_t& resume_handle,
                                        InterfacePage& page) {
  std::unique_lock lock(mu_);
  page = InterfacePage{};
  double now = 0;
  if (ApiCode code = beginEnumeration(lock, handle, simulatorFaultCode(config_.interfaces_error), now,
                                      config_.interfaces_hang_seconds))
    return code;
  std::vector<RouterInterface> all = interfacesAt(now);
  return fillPage(all.size(), wire::kInterface0Size, pref_max_len, config_.resume_stuck, resume_handle, page,
                  [&](size_t i) { return std::move(all[i]); });
}

ApiCode SimulatedRouter::enumPorts(RouterHandle handle, uint32_t pref_max_len, uint32_t& resume_handle,
                                   PortPage& page) {
  std::unique_lock lock(mu_);
  page = PortPage{};
  double now = 0;
  if (ApiCode code =
          beginEnumeration(lock, handle, simulatorFaultCode(config_.ports_error), now, config_.ports_hang_seconds))
    return code;
  const std::vector<PendingCall> pending = pendingCalls(now);
  return fillPage(total_ports_, wire::kPort0Size, pref_max_len, config_.resume_stuck, resume_handle, page,
                  [&](size_t i) { return describePort(i, pending, now); });
}

// The router's interfaces in the order it lists them: Loopback, Internal, the LAN adapter, then
// the demand-dial interfaces. Every third site-to-site interface stays connected; the others
// flap in pairs (kFlapA, kFlapB), each pair at its own offset in the cycle.
std::vector<RouterInterface> SimulatedRouter::interfacesAt(double now) const {
  std::vector<RouterInterface> out;
  out.reserve(3 + config_.site_to_site + config_.site_to_site_disabled);
  const auto base = static_cast<uint32_t>(mix(config_.seed ^ 0x1F7E) & 0x7FFF0000u);
  auto add = [&](std::string name, InterfaceType type, bool enabled, const Step& step) {
    RouterInterface i;
    i.handle = base | static_cast<uint32_t>(out.size() + 1);
    i.name = std::move(name);
    i.type = type;
    i.enabled = enabled;
    i.state = step.state;
    i.unreachability_reasons = step.reasons;
    i.last_error = step.last_error;
    out.push_back(std::move(i));
  };
  static constexpr Step kUp = {0, InterfaceState::kConnected, 0, 0};
  static constexpr Step kDisabled = {0, InterfaceState::kUnreachable, kAdminDisabled, 0};
  add("Loopback", InterfaceType::kLoopback, true, kUp);
  add("Internal", InterfaceType::kInternal, true, kUp);
  add("Ethernet", InterfaceType::kDedicated, true, kUp);
  auto siteName = [](uint32_t i) {
    std::string name = kSiteNames[i % kSiteNames.size()];
    if (i >= kSiteNames.size()) {
      name += '-';
      name += std::to_string(i / kSiteNames.size() + 1);
    }
    return name;
  };
  for (uint32_t i = 0; i < config_.site_to_site; ++i) {
    const uint32_t pair = i / 3;
    const double offset = static_cast<double>(mix(config_.seed ^ 0x5175 ^ (uint64_t{pair} << 20)) % 1440);
    const double x = std::fmod(std::fmod(now + offset, kCycleSeconds) + kCycleSeconds, kCycleSeconds);
    const Step& step = i % 3 == 0 ? kUp : i % 3 == 1 ? stepAt(kFlapA, x) : stepAt(kFlapB, x);
    add(siteName(i), InterfaceType::kFullRouter, true, step);
  }
  for (uint32_t i = 0; i < config_.site_to_site_disabled; ++i) {
    add("Old-Branch-" + std::to_string(i + 1), InterfaceType::kFullRouter, false, kDisabled);
  }
  return out;
}

Port SimulatedRouter::describePort(size_t position, const std::vector<PendingCall>& pending, double now) const {
  size_t device = 0;
  size_t index = position;
  while (device + 1 < kDevices && index >= ports_[device].count) index -= ports_[device++].count;
  const PortBlock& block = ports_[device];
  const auto port = static_cast<uint32_t>(index);
  Port p;
  p.handle = position + 1;
  p.total_calls = block.calls[port];
  p.name = "VPN" + std::to_string(device + 1) + "-" + std::to_string(port);
  p.media = "rastapi";
  p.device_name = kDeviceInfo[device].device_name;
  p.device_type = "vpn";
  p.condition = PortCondition::kListening;
  if (const uint32_t connection = block.occupant[port]; connection != 0) {
    p.condition = PortCondition::kAuthenticated;
    p.connection = connection;
    auto it = std::lower_bound(members_.begin(), members_.end(), connection,
                               [](const Member& m, uint32_t h) { return m.handle < h; });
    if (it != members_.end() && it->handle == connection) {
      p.duration_seconds = static_cast<uint32_t>(std::max(0.0, now - it->start));
    }
    return p;
  }
  const auto call = std::lower_bound(pending.begin(), pending.end(), std::pair(device, port),
                                     [](const PendingCall& c, const std::pair<size_t, uint32_t>& at) {
                                       return std::pair<size_t, uint32_t>(c.device, c.port) < at;
                                     });
  if (call != pending.end() && call->device == device && call->port == port) {
    p.condition = PortCondition::kAuthenticating;
    p.duration_seconds = call->seconds;
  }
  return p;
}

Connection SimulatedRouter::describe(const Member& m, int level, double now) const {
  const uint64_t key = memberKey(m.handle);
  Connection c;
  c.handle = m.handle;
  c.interface_handle = mix(key) & 0xFFFFFFFFu;
  const bool ikev2 = isIkev2(config_.enum_ex, key);
  c.interface_type = key % 50 == 0 ? InterfaceType::kFullRouter : InterfaceType::kClient;
  // Users drawn from a pool four times the population: some users hold several connections.
  const uint64_t pool = std::max<uint64_t>(1, uint64_t{config_.connections} * 4);
  const uint64_t user_index = mix(key ^ 0x5EED) % pool;
  const std::string user = std::string(kGivenNames[user_index % kGivenNames.size()]) + "." + std::to_string(user_index);
  const double elapsed = std::max(0.0, now - m.start);

  if (level == 0 || level < 0) {
    c.levels |= level < 0 ? kHasEx : kHasLevel0;
    c.duration_seconds = static_cast<uint32_t>(elapsed);
    c.flags = ikev2 ? 0 : kRasFlagsPpp;
    c.interface_name = c.interface_type == InterfaceType::kClient ? user : "branch-" + std::to_string(key % 97);
    c.user = user;
    c.domain = kDomains[user_index % kDomains.size()];
    c.remote_computer = "PC-" + std::to_string(user_index % 100000);
  }
  if (level == 1 || level < 0) {
    c.levels |= level < 0 ? 0 : kHasLevel1;
    // Counters start at zero with the session. One connection in eleven moves 2 to 6 MB/s, so its
    // 32-bit wire counter wraps every 12 to 36 minutes; the others move up to 200 kB/s.
    const uint64_t rate = key % 11 == 0 ? 2'000'000 + key % 4'000'000 : 1000 + key % 200000;
    const auto bytes = static_cast<uint64_t>(static_cast<double>(rate) * elapsed);
    c.counters.bytes_sent = static_cast<uint32_t>(bytes / 3);
    c.counters.bytes_received = static_cast<uint32_t>(bytes);
    c.counters.frames_sent = static_cast<uint32_t>(bytes / 3 / 600);
    c.counters.frames_received = static_cast<uint32_t>(bytes / 900);
    const auto errors = key % 13 == 0 ? static_cast<uint32_t>(elapsed / 600) : 0u;
    c.counters.crc_errors = errors;
    c.counters.timeout_errors = errors / 2;
    c.counters.framing_errors = errors / 3;
    c.counters.compression_ratio_in = static_cast<uint32_t>(key % 60);
    c.counters.compression_ratio_out = static_cast<uint32_t>((key >> 8) % 60);
    c.client_ipv4 = ipv4For(key);
  }
  if (level >= 2 || level < 0) {
    c.levels |= level < 0 ? 0 : level == 2 ? kHasLevel2 : kHasLevel3;
    c.user = user;
    c.client_ipv4 = ipv4For(key);
    c.auth_protocol = ikev2 ? (key % 2 ? "ikev2_eap" : "ikev2_cert") : (key % 4 ? "mschapv2" : "eap");
  }
  if (level == 3 || level < 0) {
    c.client_ipv6 = key % 4 == 0 ? "fd00::" + std::to_string(key % 9999) : "";
    c.quarantine_state = key % 40 == 0   ? QuarantineState::kQuarantine
                         : key % 41 == 0 ? QuarantineState::kProbation
                                         : QuarantineState::kNormal;
  }
  if (level < 0) {
    c.protocol = ikev2 ? "ikev2" : "ppp";
    c.tunnel_endpoint =
        key % 5 == 0 ? "2001:db8::" + std::to_string(key % 9999) : "203.0.113." + std::to_string(1 + key % 254);
  }
  return c;
}

}  // namespace rras
