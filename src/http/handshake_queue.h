#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

namespace rras {

// The order in which the handshake thread takes TLS connections that are ready for their next
// step. A ClientHello costs the server a key exchange and a signature, so a flood of clients that
// send one and stall is where the CPU goes; this order keeps a scraper from waiting behind it:
//  1. A client that replied to the server's flight has proved it is live, and finishing its
//     handshake is cheap: these go first, in arrival order.
//  2. ClientHellos are taken one source address at a time, in turn, so a scanner, a broken health
//     check or a flood from one network waits behind itself, not in front of a scraper elsewhere
//     (IPv6 sources by /64, what one host usually holds).
//  3. Within one source, the newest and the oldest in turn: a scraper that shares an address with
//     a flood and connected just after, or just before, it is served among the first.
template <typename T>
class HandshakeQueue {
 public:
  void push(T item, const std::string& source, bool replied) {
    if (replied) {
      replies_.push_back(std::move(item));
      return;
    }
    auto [it, fresh] = hellos_.try_emplace(source);
    it->second.items.push_back(std::move(item));
    if (fresh) turn_.push_back(source);
    ++hello_count_;
  }

  std::optional<T> pop() {
    if (!replies_.empty()) {
      T item = std::move(replies_.front());
      replies_.pop_front();
      return item;
    }
    if (turn_.empty()) return std::nullopt;
    const std::string source = std::move(turn_.front());
    turn_.pop_front();
    auto it = hellos_.find(source);
    Source& s = it->second;
    T item = std::move(s.newest ? s.items.back() : s.items.front());
    if (s.newest) {
      s.items.pop_back();
    } else {
      s.items.pop_front();
    }
    s.newest = !s.newest;
    --hello_count_;
    if (s.items.empty()) {
      hellos_.erase(it);
    } else {
      turn_.push_back(source);
    }
    return item;
  }

  bool empty() const { return replies_.empty() && turn_.empty(); }
  std::size_t size() const { return replies_.size() + hello_count_; }
  void clear() {
    replies_.clear();
    hellos_.clear();
    turn_.clear();
    hello_count_ = 0;
  }

 private:
  struct Source {
    std::deque<T> items;  // in arrival order
    bool newest = true;   // which end is taken next
  };
  std::deque<T> replies_;
  std::unordered_map<std::string, Source> hellos_;
  std::deque<std::string> turn_;  // sources with ClientHellos waiting, next first
  std::size_t hello_count_ = 0;
};

}  // namespace rras
