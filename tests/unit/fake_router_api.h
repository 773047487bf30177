// A scripted RouterApi for tests that need exact control of every page the Enumerator sees.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "router/router_api.h"

namespace rras::testing {

struct ScriptedPage {
  ApiCode code = status::kSuccess;
  std::vector<uint64_t> handles;
  uint32_t next_resume = 0;
  int claimed_entries = -1;  // entries_read as the reply states it; -1 = the real count
};

class FakeRouterApi : public RouterApi {
 public:
  // Per level (-1 = EnumEx): a code that refuses the level, or scripted pages served in order.
  std::map<int, ApiCode> refuse;
  std::map<int, std::deque<ScriptedPage>> pages;
  std::function<Connection(uint64_t handle, int level)> make = [](uint64_t h, int level) {
    Connection c;
    c.handle = h;
    c.levels = level < 0 ? static_cast<uint8_t>(kHasEx) : static_cast<uint8_t>(1 << level);
    c.user = "user" + std::to_string(h);
    c.flags = kRasFlagsPpp;
    if (level == 1) c.counters.bytes_sent = static_cast<uint32_t>(h * 10);
    if (level == 3) c.quarantine_state = QuarantineState::kNormal;
    return c;
  };
  // MprAdminServerGetInfo's answer per level (absent: success).
  std::map<int, ApiCode> info_codes = {{1, status::kInvalidLevel}, {2, status::kInvalidLevel}};
  // Interfaces and ports: a refusal, or scripted pages of handles (none scripted: an empty list).
  std::optional<ApiCode> interfaces_refuse, ports_refuse;
  std::deque<ScriptedPage> interface_pages, port_pages;
  // The call blocks until cancel(), then answers ERROR_CANCELLED: a router that hangs in it.
  bool interfaces_hang = false, ports_hang = false;
  ApiCode connect_code = status::kSuccess;
  int connects = 0, disconnects = 0;
  std::vector<std::pair<int, uint32_t>> calls;  // (level, resume handle passed in)

  bool isServiceRunning() override { return true; }
  ApiCode connect(RouterHandle& h) override {
    {
      std::lock_guard lock(cancel_mu_);
      cancelled_ = false;
    }
    ++connects;
    h = static_cast<RouterHandle>(connects);
    return connect_code;
  }
  void disconnect(RouterHandle) override { ++disconnects; }
  ApiCode serverInfo(RouterHandle, int level, ServerInfo& out) override {
    out.total_ports = 10;
    out.ports_in_use = 1;
    if (level > 0) out.pptp_ports = 4;
    const auto it = info_codes.find(level);
    return it == info_codes.end() ? status::kSuccess : it->second;
  }
  ApiCode enumConnections(RouterHandle, int level, uint32_t, uint32_t& resume, ConnectionPage& page) override {
    return serve(level, resume, page);
  }
  ApiCode enumConnectionsEx(RouterHandle, uint32_t, uint32_t& resume, ConnectionPage& page) override {
    return serve(-1, resume, page);
  }
  void cancel() override {
    {
      std::lock_guard lock(cancel_mu_);
      cancelled_ = true;
    }
    cancel_cv_.notify_all();
  }
  // Set once a hanging call has been ended by cancel().
  bool hangCancelled() {
    std::lock_guard lock(cancel_mu_);
    return hang_cancelled_;
  }
  // Returns once a call hangs (for tests that drive the deadline by hand).
  void waitUntilHanging() {
    std::unique_lock lock(cancel_mu_);
    cancel_cv_.wait(lock, [this] { return hanging_; });
  }

  ApiCode enumInterfaces(RouterHandle, uint32_t, uint32_t& resume, InterfacePage& page) override {
    if (interfaces_hang) return hang();
    return serveKind(interfaces_refuse, interface_pages, resume, page, [](uint64_t h) {
      RouterInterface i;
      i.handle = h;
      i.name = "tunnel-" + std::to_string(h);
      i.type = InterfaceType::kFullRouter;
      i.enabled = true;
      i.state = InterfaceState::kConnected;
      return i;
    });
  }
  ApiCode enumPorts(RouterHandle, uint32_t, uint32_t& resume, PortPage& page) override {
    if (ports_hang) return hang();
    return serveKind(ports_refuse, port_pages, resume, page, [](uint64_t h) {
      Port p;
      p.handle = h;
      p.condition = PortCondition::kListening;
      p.device_name = "WAN Miniport (SSTP)";
      p.total_calls = 2;
      return p;
    });
  }

 private:
  ApiCode hang() {
    std::unique_lock lock(cancel_mu_);
    hanging_ = true;
    cancel_cv_.notify_all();
    cancel_cv_.wait(lock, [this] { return cancelled_; });
    hanging_ = false;
    hang_cancelled_ = true;
    return status::kCancelled;
  }

  std::mutex cancel_mu_;
  std::condition_variable cancel_cv_;
  bool cancelled_ = false, hanging_ = false, hang_cancelled_ = false;

  ApiCode serve(int level, uint32_t& resume, ConnectionPage& page) {
    calls.emplace_back(level, resume);
    const auto it = refuse.find(level);
    return serveKind(it == refuse.end() ? std::nullopt : std::optional<ApiCode>(it->second), pages[level], resume, page,
                     [&](uint64_t h) { return make(h, level); });
  }

  template <class Entry, class Make>
  static ApiCode serveKind(const std::optional<ApiCode>& refuse, std::deque<ScriptedPage>& queue, uint32_t& resume,
                           Page<Entry>& page, Make make_entry) {
    if (refuse) return *refuse;
    if (queue.empty()) return status::kSuccess;  // nothing scripted: an empty router
    ScriptedPage p = queue.front();
    queue.pop_front();
    page = Page<Entry>{};
    for (auto h : p.handles) page.entries.push_back(make_entry(h));
    page.entries_read =
        p.claimed_entries < 0 ? static_cast<uint32_t>(p.handles.size()) : static_cast<uint32_t>(p.claimed_entries);
    resume = p.next_resume;
    return p.code;
  }
};

}  // namespace rras::testing
