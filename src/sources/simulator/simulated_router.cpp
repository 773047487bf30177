#include "sources/simulator/simulated_router.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <string>

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

ApiCode connectErrorCode(const std::string& name) {
  if (name == "access_denied") return status::kAccessDenied;
  if (name == "server_unavailable") return status::kRpcServerUnavailable;
  if (name == "invalid_binding") return status::kRpcInvalidBinding;
  if (name == "unknown_if") return status::kRpcUnknownIf;
  return status::kSuccess;
}

std::string ipv4For(uint64_t key) {
  return "10." + std::to_string((key >> 16) & 0xFF) + "." + std::to_string((key >> 8) & 0xFF) + "." +
         std::to_string(1 + key % 254);
}

}  // namespace

SimulatedRouter::SimulatedRouter(SimulatorConfig config, WallClock clock)
    : config_(std::move(config)), clock_(std::move(clock)), rng_state_(mix(config_.seed)) {
  const double now = clock_();
  last_advance_ = now;
  boot_time_ = now - 3 * 86400.0 - static_cast<double>(mix(config_.seed ^ 0xB007) % 86400);
  members_.reserve(config_.connections);
  for (uint32_t i = 0; i < config_.connections; ++i) {
    // Sessions of up to eight hours that started before the exporter did.
    addMember(now - static_cast<double>(nextRandom() % (uint64_t{8} * 3600)));
  }
  if (config_.total_ports == 0) {
    config_.total_ports = std::max<uint32_t>(128, config_.connections + config_.connections / 4);
  }
}

uint64_t SimulatedRouter::nextRandom() {
  rng_state_ = mix(rng_state_);
  return rng_state_;
}

void SimulatedRouter::addMember(double start) {
  for (;;) {
    // Handles are random 32-bit values, so an arrival can sort before the resume position: the
    // duplicates across pages that a real router produces when sessions come and go.
    const auto handle = static_cast<uint32_t>(nextRandom() | 1u);
    auto it = std::lower_bound(members_.begin(), members_.end(), handle,
                               [](const Member& m, uint32_t h) { return m.handle < h; });
    if (it != members_.end() && it->handle == handle) continue;
    members_.insert(it, Member{handle, start});
    return;
  }
}

void SimulatedRouter::removeRandomMember() {
  if (members_.empty()) return;
  members_.erase(members_.begin() + static_cast<long>(nextRandom() % members_.size()));
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
  if (ApiCode code = connectErrorCode(config_.connect_error); code != status::kSuccess) return code;
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

bool SimulatedRouter::hang(std::unique_lock<std::mutex>& lock) {
  if (config_.hang_seconds <= 0) return false;
  cancelled_cv_.wait_for(lock, std::chrono::duration<double>(config_.hang_seconds), [this] { return cancelled_; });
  return cancelled_;
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
    out.total_ports = config_.total_ports;
    out.ports_in_use = static_cast<uint32_t>(std::min<size_t>(members_.size(), config_.total_ports));
  }
  if (level >= 1) {
    out.pptp_ports = config_.total_ports / 4;
    out.l2tp_ports = config_.total_ports / 4;
  }
  if (level >= 2) out.sstp_ports = config_.total_ports / 2;
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
  if (ApiCode code = checkHandle(handle)) return code;
  if (level < 0 && !config_.enum_ex) return status::kRpcProcnumOutOfRange;
  if (level > config_.max_level) return status::kInvalidLevel;
  if (!config_.service_running || config_.ddm_not_running) return status::kDdmNotRunning;
  if (hang(lock)) return status::kCancelled;
  ++enum_calls_;
  if (config_.binding_lost_every != 0 && enum_calls_ % config_.binding_lost_every == 0) {
    std::erase(open_handles_, handle);
    return status::kRpcInvalidBinding;
  }
  const double now = clock_();
  advanceClock(now);
  for (uint32_t i = 0; i < config_.churn_per_call; ++i) {
    removeRandomMember();
    addMember(now);
  }

  const uint32_t entry_size =
      level < 0 ? wire::kRasConnectionExSize : wire::kRasiConnectionSize[static_cast<size_t>(level)];
  const size_t start = std::min<size_t>(resume_handle, members_.size());
  const size_t remaining = members_.size() - start;
  const auto take = static_cast<size_t>(std::min<uint64_t>(remaining, wire::entriesPerPage(pref_max_len, entry_size)));
  page.entries.reserve(take);
  for (size_t i = start; i < start + take; ++i) page.entries.push_back(describe(members_[i], level, now));
  page.entries_read = static_cast<uint32_t>(take);
  page.total_entries = static_cast<uint32_t>(remaining);
  if (take < remaining) {
    if (!config_.resume_stuck) resume_handle = static_cast<uint32_t>(start + take);
    return status::kMoreData;
  }
  resume_handle = 0;
  return status::kSuccess;
}

Connection SimulatedRouter::describe(const Member& m, int level, double now) const {
  const uint64_t key = mix(config_.seed * 0x100000001B3ull ^ m.handle);
  Connection c;
  c.handle = m.handle;
  c.interface_handle = mix(key) & 0xFFFFFFFFu;
  const bool ikev2 = config_.enum_ex && key % 3 == 0;
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
