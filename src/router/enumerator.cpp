#include "router/enumerator.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "router/pager.h"
#include "router/wire_sizes.h"

namespace rras {

namespace {

// Copies what `level` carries from a later-level record into the level-0 base record.
void mergeLevel(Connection& base, Connection&& other, int level) {
  base.levels |= other.levels;
  if (level == 1) {
    base.counters = other.counters;
    if (!other.client_ipv4.empty()) base.client_ipv4 = std::move(other.client_ipv4);
    return;
  }
  // Levels 2 and 3: the PPP projection (IPv4, authentication), level 3 adds IPv6 and quarantine.
  if (!other.client_ipv4.empty()) base.client_ipv4 = std::move(other.client_ipv4);
  if (!other.auth_protocol.empty()) base.auth_protocol = std::move(other.auth_protocol);
  if (level == 3) {
    base.client_ipv6 = std::move(other.client_ipv6);
    base.quarantine_state = other.quarantine_state;
  }
}

void sortByHandle(std::vector<Connection>& v) {
  std::sort(v.begin(), v.end(), [](const Connection& a, const Connection& b) { return a.handle < b.handle; });
}

// Keeps the base records that `other` also holds, merging them; returns how many were dropped.
uint32_t joinLevel(std::vector<Connection>& base, std::vector<Connection>&& other, int level) {
  sortByHandle(other);
  std::vector<Connection> joined;
  joined.reserve(base.size());
  auto it = other.begin();
  for (auto& c : base) {
    while (it != other.end() && it->handle < c.handle) ++it;    // arrived after level 0 was read
    if (it == other.end() || it->handle != c.handle) continue;  // left between levels
    mergeLevel(c, std::move(*it), level);
    joined.push_back(std::move(c));
  }
  const auto dropped = static_cast<uint32_t>(base.size() - joined.size());
  base = std::move(joined);
  return dropped;
}

// Below EnumEx only the PPP flag of level 0 tells the protocol; IKEv2 is not named there.
void setProtocolFromFlags(std::vector<Connection>& connections) {
  for (auto& c : connections) c.protocol = (c.flags & kRasFlagsPpp) ? "ppp" : "unknown";
}

std::string levelName(int level) { return level < 0 ? "EnumEx" : "level " + std::to_string(level); }

}  // namespace

Enumerator::Enumerator(RouterApi& api, EnumeratorOptions options) : api_(api), options_(options) {}

Enumerator::~Enumerator() { reset(); }

void Enumerator::reset() {
  if (handle_) api_.disconnect(*handle_);
  handle_.reset();
  ladder_.reset();
}

EnumerationResult Enumerator::poll() {
  EnumerationResult result;
  for (int attempt = 0; attempt < 2; ++attempt) {
    result = EnumerationResult{};
    result.reconnected = attempt > 0;
    std::optional<PollError> error = ensureConnected();
    if (!error) {
      const auto start = std::chrono::steady_clock::now();
      error = readServerInfo(result);
      result.server_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      // A refusal of server info fails only the server collector; a lost binding fails the poll.
      if (error && !isBindingLost(error->code)) {
        result.server_error = std::exchange(error, std::nullopt);
        result.server_info = ServerInfo{};
      }
    }
    if (!error) error = readConnections(result);
    if (!error) return result;
    result.error = std::move(error);
    result.connections.clear();
    // Whatever failed, the next poll starts from MprAdminServerConnect and probes the levels
    // again: a handle in an unknown state must never be reused forever.
    reset();
    if (!isBindingLost(result.error->code)) break;  // only a lost binding is worth an immediate retry
  }
  return result;
}

std::optional<PollError> Enumerator::ensureConnected() {
  if (handle_) return std::nullopt;
  RouterHandle h = 0;
  if (ApiCode code = api_.connect(h); code != status::kSuccess) {
    return describe(code, "MprAdminServerConnect");
  }
  handle_ = h;
  return std::nullopt;
}

PollError Enumerator::describe(ApiCode code, const std::string& call) {
  std::string message = call + " failed with " + apiCodeName(code) + " (" + std::to_string(code) + ")";
  switch (code) {
    case status::kAccessDenied:
      message += ": the account needs to be in the local Administrators group of the RRAS server";
      break;
    case status::kDdmNotRunning:
      message += ": the Demand Dial Manager is not running; RemoteAccess service is ";
      message += api_.isServiceRunning() ? "running (routing not enabled?)" : "stopped";
      break;
    case status::kRpcServerUnavailable:
      message += ": the server is unreachable (name, network, firewall or RPC service)";
      break;
    case status::kRpcInvalidBinding:
      message += ": the binding to the server was lost";
      break;
    case status::kRpcUnknownIf:
      message += ": the server does not offer the router admin interface (RRAS not installed?)";
      break;
    case status::kLogonFailure:
      message += ": the server rejected the account; check domain, username and password_file";
      break;
    case status::kNoSuchLogonSession:
      message +=
          ": no usable Kerberos ticket (none, or it expires within 5 minutes); run kinit or kinit -kt into "
          "the ticket cache KRB5CCNAME names";
      break;
    case status::kRpcBadStubData:
      message += ": the reply did not decode (the exporter's log names the field)";
      break;
    case status::kCancelled:
      message += ": the call was cancelled at the poll deadline or shutdown";
      break;
    default:
      break;
  }
  return PollError::fromCode(code, std::move(message));
}

std::optional<PollError> Enumerator::readServerInfo(EnumerationResult& result) {
  const int top = ladder_ ? ladder_->server_info_level : 2;
  for (int level = top; level >= 0; --level) {
    ServerInfo info;
    const ApiCode code = api_.serverInfo(*handle_, level, info);
    if (code == status::kSuccess) {
      // MPR_SERVER_1/2 carry only the per-protocol port counts; uptime and capacity are level 0's.
      if (level > 0) {
        ServerInfo base;
        const ApiCode base_code = api_.serverInfo(*handle_, 0, base);
        if (base_code != status::kSuccess) return describe(base_code, "MprAdminServerGetInfo(level 0)");
        info.lan_only_mode = base.lan_only_mode;
        info.uptime_seconds = base.uptime_seconds;
        info.total_ports = base.total_ports;
        info.ports_in_use = base.ports_in_use;
      }
      info.level = level;
      result.server_info = info;
      if (ladder_) ladder_->server_info_level = level;
      return std::nullopt;
    }
    if (!isUnsupportedLevel(code)) {
      return describe(code, "MprAdminServerGetInfo(level " + std::to_string(level) + ")");
    }
  }
  result.server_info = ServerInfo{};  // no level answers: capacity metrics are left out
  return std::nullopt;
}

uint32_t Enumerator::prefMaxLen(int level) const {
  if (level < 0)
    return wire::prefMaxLen(options_.page_size_bytes, wire::kRasConnectionExSize, wire::kRasConnectionExSize);
  const auto l = static_cast<size_t>(level);
  return wire::prefMaxLen(options_.page_size_bytes, wire::kRasiConnectionSize[l], wire::kX64RasConnectionSize[l]);
}

std::optional<PollError> Enumerator::readLevel(int level, std::vector<Connection>& out, EnumerationResult& result) {
  const uint32_t pref = prefMaxLen(level);
  PageStats stats;
  auto error = readAllPages<Connection>(
      [&](uint32_t& resume, ConnectionPage& page) {
        return level < 0 ? api_.enumConnectionsEx(*handle_, pref, resume, page)
                         : api_.enumConnections(*handle_, level, pref, resume, page);
      },
      [&](ApiCode code) {
        return describe(code, level < 0 ? "MprAdminConnectionEnumEx"
                                        : "MprAdminConnectionEnum(level " + std::to_string(level) + ")");
      },
      levelName(level), options_.max_pages, out, stats);
  result.pages += stats.pages;
  result.duplicates_dropped += stats.duplicates_dropped;
  return error;
}

std::optional<PollError> Enumerator::readConnections(EnumerationResult& result) {
  std::vector<Connection> top;
  if (!ladder_) {
    // Probe: EnumEx first (unless the level is capped), then levels 3, 2, 1, 0.
    Ladder ladder;
    ladder.server_info_level = std::max(result.server_info.level, 0);
    bool found = false;
    if (options_.max_level < 0) {
      auto error = readLevel(-1, top, result);
      if (!error) {
        ladder.enum_ex = found = true;
      } else if (!isUnsupportedLevel(error->code)) {
        return error;
      }
    }
    for (int level = options_.max_level < 0 ? 3 : options_.max_level; !found && level >= 0; --level) {
      auto error = readLevel(level, top, result);
      if (!error) {
        ladder.top_level = level;
        found = true;
      } else if (!isUnsupportedLevel(error->code)) {
        return error;
      }
    }
    if (!found) {
      return PollError::fromCode(status::kInvalidLevel,
                                 "no connection enumeration level (EnumEx, 3, 2, 1, 0) is supported");
    }
    ladder_ = ladder;
  } else {
    // A refusal here fails the poll, which drops the ladder: the next poll probes again.
    if (auto error = readLevel(ladder_->enum_ex ? -1 : ladder_->top_level, top, result)) return error;
  }

  if (ladder_->enum_ex) {
    result.level = "ex";
    sortByHandle(top);
    result.connections = std::move(top);
    return std::nullopt;
  }

  const int top_level = ladder_->top_level;
  result.level = std::to_string(top_level);
  if (top_level == 0) {
    sortByHandle(top);
    result.connections = std::move(top);
    setProtocolFromFlags(result.connections);
    return std::nullopt;
  }
  // Only connections seen at every level read are complete: one missing from a level arrived
  // after it was read or left before; it is left out of this poll and seen whole in the next.
  std::vector<Connection> base;
  if (auto error = readLevel(0, base, result)) return error;
  sortByHandle(base);
  const size_t seen_at_level0 = base.size();
  if (top_level >= 2 && ladder_->has_level1) {
    std::vector<Connection> level1;
    if (auto error = readLevel(1, level1, result)) {
      if (!isUnsupportedLevel(error->code)) return error;
      ladder_->has_level1 = false;  // no counters from this router
    } else {
      joinLevel(base, std::move(level1), 1);
    }
  }
  joinLevel(base, std::move(top), top_level);
  result.dropped_between_levels = static_cast<uint32_t>(seen_at_level0 - base.size());
  setProtocolFromFlags(base);
  result.connections = std::move(base);
  return std::nullopt;
}

}  // namespace rras
