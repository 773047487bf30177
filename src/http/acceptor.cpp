#include "http/acceptor.h"

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/epoll.h>
#endif

#include <cerrno>
#endif

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <list>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "http/handshake_queue.h"
#include "http/hello_retry.h"
#include "log/logger.h"
#include "poller/background_priority.h"

namespace rras {

namespace {

using Clock = std::chrono::steady_clock;

// When the next ClientHello is asked to retry (hello_retry.h): its source has this many TLS
// connections in their handshake (more than a scraper, a health check and a browser hold at once;
// 1 000 stalled clients pass it whether they come together or one by one), or this many
// handshakes wait for the handshake thread in all (a flood from many addresses).
constexpr size_t kRetryHandshakesFromSource = 16;
constexpr size_t kRetryBacklog = 64;

#ifdef _WIN32
using PollFd = WSAPOLLFD;
int pollSockets(PollFd* fds, size_t n, int timeout_ms) { return WSAPoll(fds, static_cast<ULONG>(n), timeout_ms); }
bool interrupted() { return WSAGetLastError() == WSAEINTR; }
bool wouldBlock() {
  const int e = WSAGetLastError();
  return e == WSAEWOULDBLOCK || e == WSAEINTR;
}
void closeSocket(socket_t s) { closesocket(s); }
void setNonBlocking(socket_t s) {
  u_long on = 1;
  ioctlsocket(s, FIONBIO, &on);
}
constexpr int kSendFlags = 0;
constexpr int kShutWrite = SD_SEND;
#else
using PollFd = pollfd;
int pollSockets(PollFd* fds, size_t n, int timeout_ms) { return ::poll(fds, n, timeout_ms); }
bool interrupted() { return errno == EINTR; }
bool wouldBlock() { return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR; }
void closeSocket(socket_t s) { ::close(s); }
void setNonBlocking(socket_t s) { fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK); }
constexpr int kSendFlags = MSG_NOSIGNAL;  // a client gone mid-response is an error, not SIGPIPE
constexpr int kShutWrite = SHUT_WR;
#endif

int millisUntil(Clock::time_point t, Clock::time_point now) {
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(t - now).count();
  return static_cast<int>(std::clamp<long long>(ms, 0, INT_MAX));
}

// Waits up to `timeout` for `events` on one socket (a worker's blocking read or write).
bool waitFor(socket_t sock, short events, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    PollFd p{};
    p.fd = sock;
    p.events = events;
    const int r = pollSockets(&p, 1, millisUntil(deadline, Clock::now()));
    if (r > 0) return true;
    if (r == 0 || !interrupted()) return false;
  }
}

// Best effort: a short canned answer to a client we are about to drop, from the poll thread.
void sendAndClose(socket_t sock, int status, const char* reason, const std::string& body) {
  const std::string response = "HTTP/1.1 " + std::to_string(status) + " " + reason +
                               "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n"
                               "Content-Length: " +
                               std::to_string(body.size()) + "\r\n\r\n" + body;
  send(sock, response.data(), static_cast<int>(response.size()), kSendFlags);
  shutdown(sock, kShutWrite);
  closeSocket(sock);
}

bool startsWithNoCase(const char* text, size_t n, const char* prefix) {
  const size_t len = std::strlen(prefix);
  if (n < len) return false;
  for (size_t i = 0; i < len; ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

enum class Head { kIncomplete, kComplete, kTooLarge };

// Whether in[from..] holds a complete request head and the Content-Length body it announces
// (a chunked body is left to the worker: only GET is served, other methods are answered 405).
Head headState(const std::string& in, size_t from) {
  const size_t crlf = in.find("\r\n\r\n", from);
  const size_t lf = in.find("\n\n", from);
  const size_t end = std::min(crlf == std::string::npos ? crlf : crlf + 4, lf == std::string::npos ? lf : lf + 2);
  if (end == std::string::npos)
    return in.size() - from > WebLimits::kMaxHeadBytes ? Head::kTooLarge : Head::kIncomplete;
  size_t body = 0;
  for (size_t line = from; line < end;) {
    size_t next = in.find('\n', line);
    if (next == std::string::npos || next >= end) break;
    if (startsWithNoCase(in.data() + line, next - line, "content-length:")) {
      size_t i = line + 15;
      while (i < next && (in[i] == ' ' || in[i] == '\t')) ++i;
      size_t value = 0;
      for (; i < next && in[i] >= '0' && in[i] <= '9'; ++i)
        value = std::min(value * 10 + size_t(in[i] - '0'), SIZE_MAX / 20);
      body = value;
    }
    line = next + 1;
  }
  // A body over the limit is httplib's 413; it need not arrive first.
  if (body > WebLimits::kMaxBodyBytes) return Head::kComplete;
  return in.size() - end >= body ? Head::kComplete : Head::kIncomplete;
}

// The set of sockets the poll thread watches. Linux: epoll, so a wake-up costs the ready sockets,
// not all of them (poll() over 1 000 idle sockets cost ~1 ms per wake-up, several per scrape).
// Elsewhere (Windows): WSAPoll over an array kept in step, O(sockets) per wake-up.
class Poller {
 public:
  struct Ready {
    void* tag;
    short events;  // POLLIN / POLLOUT / POLLERR / POLLHUP as poll() reports them
  };

#if defined(__linux__)
  Poller() : epoll_(epoll_create1(EPOLL_CLOEXEC)) {
    if (epoll_ < 0) throw std::runtime_error(std::string("epoll_create1: ") + std::strerror(errno));
  }
  ~Poller() { ::close(epoll_); }
  void add(socket_t sock, short events, void* tag) { control(EPOLL_CTL_ADD, sock, events, tag); }
  void modify(socket_t sock, short events, void* tag) { control(EPOLL_CTL_MOD, sock, events, tag); }
  void remove(socket_t sock) { epoll_ctl(epoll_, EPOLL_CTL_DEL, sock, nullptr); }
  // Waits up to timeout_ms; false on an error other than EINTR.
  bool wait(int timeout_ms, std::vector<Ready>& ready) {
    ready.clear();
    events_.resize(1024);
    const int n = epoll_wait(epoll_, events_.data(), static_cast<int>(events_.size()), timeout_ms);
    if (n < 0) return errno == EINTR;
    for (int i = 0; i < n; ++i) {
      const uint32_t e = events_[static_cast<size_t>(i)].events;
      short got = 0;
      if ((e & EPOLLIN) != 0) got |= POLLIN;
      if ((e & EPOLLOUT) != 0) got |= POLLOUT;
      if ((e & EPOLLERR) != 0) got |= POLLERR;
      if ((e & EPOLLHUP) != 0) got |= POLLHUP;
      ready.push_back(Ready{events_[static_cast<size_t>(i)].data.ptr, got});
    }
    return true;
  }

 private:
  void control(int op, socket_t sock, short events, void* tag) {
    epoll_event e{};
    e.events = ((events & POLLIN) != 0 ? EPOLLIN : 0u) | ((events & POLLOUT) != 0 ? EPOLLOUT : 0u);
    e.data.ptr = tag;
    epoll_ctl(epoll_, op, sock, &e);
  }
  int epoll_;
  std::vector<epoll_event> events_;
#else
  void add(socket_t sock, short events, void* tag) {
    index_[sock] = fds_.size();
    PollFd p{};
    p.fd = sock;
    p.events = events;
    fds_.push_back(p);
    tags_.push_back(tag);
  }
  void modify(socket_t sock, short events, void* tag) {
    const size_t i = index_.at(sock);
    fds_[i].events = events;
    tags_[i] = tag;
  }
  void remove(socket_t sock) {
    const auto found = index_.find(sock);
    if (found == index_.end()) return;
    const size_t i = found->second;
    index_.erase(found);
    if (i + 1 != fds_.size()) {
      fds_[i] = fds_.back();
      tags_[i] = tags_.back();
      index_[fds_[i].fd] = i;
    }
    fds_.pop_back();
    tags_.pop_back();
  }
  bool wait(int timeout_ms, std::vector<Ready>& ready) {
    ready.clear();
    const int n = pollSockets(fds_.data(), fds_.size(), timeout_ms);
    if (n < 0) return interrupted();
    for (size_t i = 0; i < fds_.size(); ++i) {
      if (fds_[i].revents != 0) ready.push_back(Ready{tags_[i], fds_[i].revents});
    }
    return true;
  }

 private:
  std::vector<PollFd> fds_;
  std::vector<void*> tags_;
  std::unordered_map<socket_t, size_t> index_;
#endif
};

// httplib's protected members, reached through a derived class (the way SSLServer reaches them).
struct ServerAccess : httplib::Server {
  static bool process(httplib::Server& server, httplib::Stream& strm, bool close_connection, bool& connection_closed,
                      const std::function<void(httplib::Request&)>& setup) {
    return (server.*(&ServerAccess::process_request))(strm, close_connection, connection_closed, setup);
  }
  // httplib streams a response body only while its listening socket is set; INVALID_SOCKET stops
  // the bodies in progress (what Server::stop() does).
  static void setListening(httplib::Server& server, socket_t sock) { (server.*(&ServerAccess::svr_sock_)) = sock; }
};

struct Listener {
  socket_t sock = INVALID_SOCKET;
  httplib::Server* server = nullptr;
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
  SSL_CTX* ctx = nullptr;  // set for an httplib::SSLServer
#endif
};

// TLS connections still in their handshake, by source address. A source with many at once is
// stalling them (a client that finishes its handshake leaves at once), and its next ClientHellos
// are asked to retry (hello_retry.h). Connections enter on the poll thread and leave on any.
class HandshakesBySource {
 public:
  void enter(const std::string& source) {
    std::lock_guard lock(mu_);
    ++counts_[source];
  }
  void leave(const std::string& source) {
    std::lock_guard lock(mu_);
    const auto it = counts_.find(source);
    if (it != counts_.end() && --it->second == 0) counts_.erase(it);
  }
  size_t count(const std::string& source) const {
    std::lock_guard lock(mu_);
    const auto it = counts_.find(source);
    return it == counts_.end() ? 0 : it->second;
  }

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, size_t> counts_;
};

struct Connection {
  Connection(socket_t s, const Listener& l, std::atomic<size_t>& open) : sock(s), server(l.server), open_(open) {
    ++open_;
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
    if (l.ctx != nullptr) {
      ssl = SSL_new(l.ctx);
      if (ssl != nullptr) {
        SSL_set_fd(ssl, static_cast<int>(sock));
        SSL_set_accept_state(ssl);
      }
    }
#endif
  }
  ~Connection() {
    handshakeOver();
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
    if (ssl != nullptr) {
      if (graceful) SSL_shutdown(ssl);  // close_notify, best effort (the socket does not block)
      SSL_free(ssl);
    }
#endif
    if (sock != INVALID_SOCKET) closeSocket(sock);
    --open_;
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool tls() const {
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
    return ssl != nullptr;
#else
    return false;
#endif
  }
  bool hasUnread() const { return used < in.size(); }
  bool handshaking() const {
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
    return ssl != nullptr && !handshaken;
#else
    return false;
#endif
  }
  // Counted in `by_source` until its handshake is over (done, or the connection closed).
  void countHandshake(HandshakesBySource& by_source) {
    handshakes_ = &by_source;
    by_source.enter(source);
  }
  void handshakeOver() {
    if (handshakes_ != nullptr) std::exchange(handshakes_, nullptr)->leave(source);
  }
  // The socket leaves with the caller (a canned answer), not closed twice.
  socket_t release() { return std::exchange(sock, INVALID_SOCKET); }

  socket_t sock;
  httplib::Server* server;
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
  SSL* ssl = nullptr;
  bool handshaken = false;
#endif
  bool answered = false;  // the server's handshake flight went out (so what comes next is a reply to it)
  std::string source;     // the client's address (IPv6: its /64), which its handshake takes turns by
  bool graceful = false;
  std::string in;   // bytes read ahead of httplib
  size_t used = 0;  // how much of `in` httplib has consumed
  unsigned requests = 0;
  bool idle = false;      // keep-alive, waiting for the next request (vs. for the head or handshake)
  short events = POLLIN;  // what it waits for (a TLS handshake may need to write)
  short watched = 0;      // what the Poller was told
  std::list<std::unique_ptr<Connection>>::iterator self;  // its place in the poll thread's list
  Clock::time_point since;                                // when it began waiting (the oldest is evicted first)
  Clock::time_point deadline;                             // cut off then

 private:
  std::atomic<size_t>& open_;
  HandshakesBySource* handshakes_ = nullptr;
};

enum class Progress { kWaiting, kReady, kTooLarge, kClosed };

// Who a connection comes from, for taking turns: an IPv4 address (IPv4-mapped IPv6 included), or
// the /64 of an IPv6 one, as raw bytes.
std::string sourceKey(const sockaddr_storage& peer) {
  if (peer.ss_family == AF_INET) {
    const auto& a = reinterpret_cast<const sockaddr_in&>(peer).sin_addr;
    return {reinterpret_cast<const char*>(&a), sizeof a};
  }
  if (peer.ss_family == AF_INET6) {
    const auto* b = reinterpret_cast<const unsigned char*>(&reinterpret_cast<const sockaddr_in6&>(peer).sin6_addr);
    static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(b, kMapped, sizeof kMapped) == 0) return {reinterpret_cast<const char*>(b) + 12, 4};
    return {reinterpret_cast<const char*>(b), 8};
  }
  return {};
}

// Reads what is available without blocking (after the TLS handshake), then checks for a head.
Progress advance(Connection& c) {
  char buf[16384];
  for (;;) {
    if (c.in.size() - c.used > WebLimits::kMaxHeadBytes + WebLimits::kMaxBodyBytes) break;
    long n = 0;
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
    if (c.tls()) {
      ERR_clear_error();
      const int r = c.handshaken ? SSL_read(c.ssl, buf, sizeof buf) : SSL_do_handshake(c.ssl);
      if (r <= 0) {
        const int err = SSL_get_error(c.ssl, r);
        if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
          c.events = err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
          // After a retry request the client's next message is a second ClientHello, not a reply.
          if (!c.handshaken) {
            c.answered =
                BIO_number_written(SSL_get_wbio(c.ssl)) > 0 && hello_retry::get(c.ssl) != hello_retry::State::kAsked;
          }
          break;
        }
        return Progress::kClosed;
      }
      c.events = POLLIN;
      if (!c.handshaken) {
        c.handshaken = true;
        c.handshakeOver();
        continue;
      }
      n = r;
    } else
#endif
    {
      n = recv(c.sock, buf, static_cast<int>(sizeof buf), 0);
      if (n < 0 && wouldBlock()) break;
      if (n <= 0) return Progress::kClosed;
    }
    c.in.append(buf, static_cast<size_t>(n));
  }
  if (!c.hasUnread()) return Progress::kWaiting;
  switch (headState(c.in, c.used)) {
    case Head::kComplete:
      return Progress::kReady;
    case Head::kTooLarge:
      return Progress::kTooLarge;
    case Head::kIncomplete:
      break;
  }
  return Progress::kWaiting;
}

// What httplib reads the request from and writes the response to: the bytes read ahead first,
// then the socket (non-blocking, so every wait is a poll with a timeout).
class ConnectionStream final : public httplib::Stream {
 public:
  ConnectionStream(Connection& c, const WebLimits& limits) : c_(c), limits_(limits) {}

  bool is_readable() const override {
    if (c_.hasUnread()) return true;
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
    if (c_.tls() && SSL_pending(c_.ssl) > 0) return true;
#endif
    return waitFor(c_.sock, POLLIN, limits_.request_head_timeout);
  }

  bool is_writable() const override { return waitFor(c_.sock, POLLOUT, limits_.write_timeout); }

  ssize_t read(char* ptr, size_t size) override {
    if (c_.hasUnread()) {
      const size_t n = std::min(size, c_.in.size() - c_.used);
      std::memcpy(ptr, c_.in.data() + c_.used, n);
      c_.used += n;
      return static_cast<ssize_t>(n);
    }
    const int want = static_cast<int>(std::min<size_t>(size, INT_MAX));
    // Reading past the head (a body) waits no longer than the head could.
    for (;;) {
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
      if (c_.tls()) {
        ERR_clear_error();
        const int r = SSL_read(c_.ssl, ptr, want);
        if (r > 0) return r;
        const int err = SSL_get_error(c_.ssl, r);
        if (err == SSL_ERROR_ZERO_RETURN) return 0;
        if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) return -1;
        if (!waitFor(c_.sock, err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, limits_.request_head_timeout)) return -1;
        continue;
      }
#endif
      const auto r = recv(c_.sock, ptr, want, 0);
      if (r >= 0) return r;
      if (!wouldBlock() || !waitFor(c_.sock, POLLIN, limits_.request_head_timeout)) return -1;
    }
  }

  ssize_t write(const char* ptr, size_t size) override {
    size_t done = 0;
    while (done < size) {
      const int chunk = static_cast<int>(std::min<size_t>(size - done, INT_MAX));
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
      if (c_.tls()) {
        ERR_clear_error();
        const int r = SSL_write(c_.ssl, ptr + done, chunk);
        if (r > 0) {
          done += static_cast<size_t>(r);
          continue;
        }
        const int err = SSL_get_error(c_.ssl, r);
        if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) return -1;
        if (!waitFor(c_.sock, err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, limits_.write_timeout)) return -1;
        continue;
      }
#endif
      const auto r = send(c_.sock, ptr + done, chunk, kSendFlags);
      if (r > 0) {
        done += static_cast<size_t>(r);
        continue;
      }
      if (r < 0 && !wouldBlock()) return -1;
      if (!waitFor(c_.sock, POLLOUT, limits_.write_timeout)) return -1;
    }
    return static_cast<ssize_t>(size);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override { address(true, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { address(false, ip, port); }
  socket_t socket() const override { return c_.sock; }

 private:
  void address(bool peer, std::string& ip, int& port) const {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    auto* sa = reinterpret_cast<sockaddr*>(&addr);
    if ((peer ? getpeername(c_.sock, sa, &len) : getsockname(c_.sock, sa, &len)) != 0) return;
    char host[NI_MAXHOST];
    char serv[NI_MAXSERV];
    if (getnameinfo(sa, len, host, sizeof host, serv, sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
      ip = host;
      port = std::atoi(serv);
    }
  }

  Connection& c_;
  const WebLimits& limits_;
};

// Threads for connections whose request is in hand: one more whenever none is idle (so a client
// slow to take its response never makes a scrape queue), retired after a while idle.
class WorkerPool {
 public:
  void run(std::function<void()> job) {
    std::unique_lock lock(mu_);
    jobs_.push_back(std::move(job));
    if (idle_ >= jobs_.size()) {
      cv_.notify_one();
      return;
    }
    ++live_;
    try {
      std::thread([this] { work(); }).detach();
    } catch (const std::system_error& e) {
      --live_;  // the job stays queued for a running thread
      logging::error("cannot start an HTTP worker thread", {{"error", e.what()}});
    }
  }

  // Runs what is queued, then waits for every thread to end.
  void shutdown() {
    std::unique_lock lock(mu_);
    stop_ = true;
    cv_.notify_all();
    done_.wait(lock, [this] { return live_ == 0; });
  }

 private:
  void work() {
    std::unique_lock lock(mu_);
    for (;;) {
      if (!jobs_.empty()) {
        auto job = std::move(jobs_.front());
        jobs_.pop_front();
        lock.unlock();
        job();
        lock.lock();
        continue;
      }
      if (stop_) break;
      ++idle_;
      const bool woken = cv_.wait_for(lock, std::chrono::seconds(30), [this] { return stop_ || !jobs_.empty(); });
      --idle_;
      if (!woken) break;
    }
    if (--live_ == 0) done_.notify_all();
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable done_;
  std::deque<std::function<void()>> jobs_;
  size_t idle_ = 0;
  size_t live_ = 0;
  bool stop_ = false;
};

}  // namespace

struct Acceptor::Impl {
  explicit Impl(WebLimits l) : limits(l) {}

  using Waiting = std::list<std::unique_ptr<Connection>>;

  void loop();
  // TLS handshakes (key exchange, signature: the CPU a flood of stalled handshakes costs) run on
  // their own thread at background priority, so they never take the CPU from serving a request.
  void handshakeLoop();
  void toHandshake(std::unique_ptr<Connection> c);
  // Into `waiting` and the Poller, and out again (the caller takes it: to a worker, or closed).
  void watch(std::unique_ptr<Connection> c);
  std::unique_ptr<Connection> unwatch(Connection* c);
  // Advances one connection that poll() found ready: reads, dispatches or closes it.
  void handle(Connection* c);
  // Where an unwatched connection goes after advance(): the Poller again, a worker, or closed.
  void settle(std::unique_ptr<Connection> c, Progress progress);
  void accept(const Listener& listener);
  bool evictOne();
  void dispatch(std::unique_ptr<Connection> c);
  void serve(std::unique_ptr<Connection> c);
  void expire(std::unique_ptr<Connection> c);
  void wake() { send(wake_sock, "x", 1, 0); }

  WebLimits limits;
  HandshakesBySource by_source;  // before every member that holds connections: they leave it
  std::vector<Listener> listeners;
  socket_t wake_sock = INVALID_SOCKET;  // UDP socket connected to itself: WSAPoll has no pipes
  Waiting waiting;                      // the poll thread's
  Poller poller;
  Clock::time_point next_deadline = Clock::time_point::max();  // no waiting connection expires before
  std::mutex mu;
  std::vector<std::unique_ptr<Connection>> returned;                         // keep-alive connections back from workers
  std::vector<std::pair<std::unique_ptr<Connection>, Progress>> handshaken;  // back from the handshake thread
  std::mutex handshake_mu;
  std::condition_variable handshake_cv;
  HandshakeQueue<std::unique_ptr<Connection>> handshaking;  // for the handshake thread
  std::thread handshake_thread;
  std::atomic<bool> stopping{false};
  std::atomic<size_t> open{0};
  WorkerPool pool;
  std::thread thread;
  Clock::time_point last_fd_warning;
  std::minstd_rand jitter{std::random_device{}()};  // the poll thread's

  // A connection's time for handshake and head (or a kept-alive one's for its next head): the
  // flag's, plus up to a quarter more at random. Clients that connected together (a flood that
  // reconnects whenever it is cut off, a pool of health checks) are then cut off at different
  // times: a fixed deadline would cut them off together every timeout and keep such a herd in
  // step forever, and a scraper that connects while it reconnects waits for all of it.
  std::chrono::milliseconds headDeadline() {
    const auto t = limits.request_head_timeout;
    return t + std::chrono::milliseconds(std::uniform_int_distribution<long long>(0, t.count() / 4)(jitter));
  }
};

Acceptor::Acceptor(WebLimits limits) : impl_(std::make_unique<Impl>(limits)) {}

Acceptor::~Acceptor() {
  stop();
  for (const auto& l : impl_->listeners) {
    if (l.sock != INVALID_SOCKET) closeSocket(l.sock);  // never started
  }
}

size_t Acceptor::openConnections() const { return impl_->open; }

int Acceptor::listen(const std::string& host, int port, httplib::Server& server) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0 || found == nullptr) {
    throw std::runtime_error("cannot resolve \"" + host + "\"");
  }
  socket_t sock = INVALID_SOCKET;
  for (addrinfo* a = found; a != nullptr && sock == INVALID_SOCKET; a = a->ai_next) {
    sock = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (sock == INVALID_SOCKET) continue;
    int yes = 1;
#ifdef _WIN32
    // Windows' SO_REUSEADDR would let a second exporter take the port; this refuses it.
    setsockopt(sock, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, reinterpret_cast<const char*>(&yes), sizeof yes);
#else
    // Not SO_REUSEPORT (httplib's default): a port already in use must be an error.
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<const char*>(&yes), sizeof yes);
#endif
    // A full backlog drops SYNs and the client retries a second later: room for a burst.
    if (bind(sock, a->ai_addr, static_cast<socklen_t>(a->ai_addrlen)) != 0 || ::listen(sock, SOMAXCONN) != 0) {
      closeSocket(sock);
      sock = INVALID_SOCKET;
    }
  }
  freeaddrinfo(found);
  if (sock == INVALID_SOCKET) throw std::runtime_error("cannot bind");
  setNonBlocking(sock);
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  getsockname(sock, reinterpret_cast<sockaddr*>(&bound), &len);
  const int bound_port = bound.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                                                     : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  Listener l;
  l.sock = sock;
  l.server = &server;
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
  if (auto* tls = dynamic_cast<httplib::SSLServer*>(&server)) l.ctx = tls->ssl_context();
#endif
  ServerAccess::setListening(server, sock);
  impl_->listeners.push_back(l);
  return bound_port;
}

void Acceptor::start() {
  auto& d = *impl_;
  d.wake_sock = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in self{};
  self.sin_family = AF_INET;
  self.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof self;
  if (d.wake_sock == INVALID_SOCKET || bind(d.wake_sock, reinterpret_cast<sockaddr*>(&self), len) != 0 ||
      getsockname(d.wake_sock, reinterpret_cast<sockaddr*>(&self), &len) != 0 ||
      connect(d.wake_sock, reinterpret_cast<sockaddr*>(&self), len) != 0) {
    throw std::runtime_error("cannot create the HTTP poll thread's wake-up socket on 127.0.0.1");
  }
  setNonBlocking(d.wake_sock);
  running_ = true;
  d.handshake_thread = std::thread([this] { impl_->handshakeLoop(); });
  d.thread = std::thread([this] {
    impl_->loop();
    running_ = false;
  });
}

void Acceptor::stop() {
  auto& d = *impl_;
  if (!d.thread.joinable()) return;
  {
    std::lock_guard lock(d.handshake_mu);
    d.stopping = true;
  }
  d.handshake_cv.notify_all();
  d.wake();
  for (const auto& l : d.listeners) ServerAccess::setListening(*l.server, INVALID_SOCKET);
  d.handshake_thread.join();
  d.handshaking.clear();
  d.thread.join();
  d.pool.shutdown();
  for (auto& l : d.listeners) closeSocket(std::exchange(l.sock, INVALID_SOCKET));
  closeSocket(d.wake_sock);
  d.wake_sock = INVALID_SOCKET;
}

void Acceptor::Impl::loop() {
  // Tags: this = the wake-up socket, a Listener*, else a Connection*.
  poller.add(wake_sock, POLLIN, this);
  for (auto& l : listeners) poller.add(l.sock, POLLIN, &l);
  std::vector<Poller::Ready> ready;
  std::vector<const Listener*> accepting;
  std::vector<std::pair<std::unique_ptr<Connection>, Progress>> settling;
  while (!stopping) {
    {
      std::lock_guard lock(mu);
      for (auto& c : returned) watch(std::move(c));
      returned.clear();
      settling.swap(handshaken);
    }
    for (auto& [c, progress] : settling) settle(std::move(c), progress);
    settling.clear();
    auto now = Clock::now();
    if (now >= next_deadline) {
      next_deadline = Clock::time_point::max();
      for (auto it = waiting.begin(); it != waiting.end();) {
        Connection* c = it->get();
        ++it;
        if (c->deadline <= now) {
          expire(unwatch(c));
        } else {
          next_deadline = std::min(next_deadline, c->deadline);
        }
      }
    }
    const int timeout = next_deadline == Clock::time_point::max() ? 3600 * 1000 : millisUntil(next_deadline, now);
    if (!poller.wait(timeout, ready)) {
      logging::error("HTTP poll failed; retrying");
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    accepting.clear();
    for (const auto& r : ready) {
      if (r.tag == this) {
        char drain[64];
        while (recv(wake_sock, drain, sizeof drain, 0) > 0) {
        }
        continue;
      }
      const auto listener =
          std::find_if(listeners.begin(), listeners.end(), [&r](const Listener& l) { return &l == r.tag; });
      if (listener != listeners.end()) {
        accepting.push_back(&*listener);
        continue;
      }
      auto* c = static_cast<Connection*>(r.tag);
      if (c->handshaking()) {
        toHandshake(unwatch(c));
      } else {
        handle(c);
      }
    }
    // Accepted last, so a new connection cannot evict one that just became ready.
    for (const Listener* l : accepting) accept(*l);
  }
  while (!waiting.empty()) unwatch(waiting.front().get());
  std::lock_guard lock(mu);
  returned.clear();
  handshaken.clear();
}

void Acceptor::Impl::toHandshake(std::unique_ptr<Connection> c) {
  {
    std::lock_guard lock(handshake_mu);
    const bool replied = c->answered;
    const std::string source = c->source;
    handshaking.push(std::move(c), source, replied);
  }
  handshake_cv.notify_one();
}

void Acceptor::Impl::handshakeLoop() {
  lowerThisThreadPriority(BackgroundPriority::kLow);
  std::unique_lock lock(handshake_mu);
  for (;;) {
    handshake_cv.wait(lock, [this] { return stopping || !handshaking.empty(); });
    if (stopping) return;
    std::unique_ptr<Connection> c = *handshaking.pop();  // in the order handshake_queue.h explains
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
    // A ClientHello in a flood (from its source, or in all) is asked to retry (hello_retry.h).
    const auto retry = hello_retry::get(c->ssl);
    if (retry == hello_retry::State::kNone || retry == hello_retry::State::kWanted) {
      const bool flood =
          by_source.count(c->source) >= kRetryHandshakesFromSource || handshaking.size() >= kRetryBacklog;
      hello_retry::set(c->ssl, flood ? hello_retry::State::kWanted : hello_retry::State::kNone);
    }
#endif
    lock.unlock();
    // Past its deadline while queued: closed without spending the handshake on it.
    const Progress progress = Clock::now() < c->deadline ? advance(*c) : Progress::kClosed;
    {
      std::lock_guard back(mu);
      if (!stopping) {
        handshaken.emplace_back(std::move(c), progress);
        wake();
      }
    }
    c.reset();  // closed here when stopping
    lock.lock();
  }
}

void Acceptor::Impl::watch(std::unique_ptr<Connection> c) {
  Connection* raw = c.get();
  raw->watched = raw->events;
  next_deadline = std::min(next_deadline, raw->deadline);
  waiting.push_back(std::move(c));
  raw->self = std::prev(waiting.end());
  poller.add(raw->sock, raw->events, raw);
}

std::unique_ptr<Connection> Acceptor::Impl::unwatch(Connection* c) {
  poller.remove(c->sock);
  auto owned = std::move(*c->self);
  waiting.erase(c->self);
  return owned;
}

void Acceptor::Impl::handle(Connection* c) {
  const bool had_unread = c->hasUnread();
  const Progress progress = advance(*c);
  if (progress != Progress::kWaiting) {
    settle(unwatch(c), progress);
    return;
  }
  // The first byte of the next request: from now on it has the head's deadline.
  if (c->idle && !had_unread && c->hasUnread()) {
    c->idle = false;
    c->deadline = Clock::now() + headDeadline();
    next_deadline = std::min(next_deadline, c->deadline);
  }
  if (c->events != c->watched) {
    c->watched = c->events;
    poller.modify(c->sock, c->events, c);
  }
}

void Acceptor::Impl::settle(std::unique_ptr<Connection> c, Progress progress) {
  switch (progress) {
    case Progress::kClosed:
      break;
    case Progress::kTooLarge:
      sendAndClose(c->release(), 431, "Request Header Fields Too Large",
                   "The request head is longer than " + std::to_string(WebLimits::kMaxHeadBytes) + " bytes.\n");
      break;
    case Progress::kReady:
      dispatch(std::move(c));
      break;
    case Progress::kWaiting:
      watch(std::move(c));
      break;
  }
}

void Acceptor::Impl::accept(const Listener& listener) {
  // Bounded, so a flood of connects cannot starve the connections already waiting.
  for (int n = 0; n < 256; ++n) {
    sockaddr_storage peer{};
    socklen_t peer_len = sizeof peer;
    const socket_t sock = ::accept(listener.sock, reinterpret_cast<sockaddr*>(&peer), &peer_len);
    if (sock == INVALID_SOCKET) {
#ifndef _WIN32
      if (errno == EMFILE || errno == ENFILE) {
        const auto now = Clock::now();
        if (now - last_fd_warning > std::chrono::minutes(1)) {
          last_fd_warning = now;
          logging::warn(
              "cannot accept a connection: out of file descriptors; raise the limit (ulimit -n, "
              "LimitNOFILE=) or lower --web.max-connections");
        }
        // Room for the next one; without it, the pending connection waits in the backlog.
        if (!evictOne()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
#endif
      return;
    }
    setNonBlocking(sock);
    int yes = 1;
    // /metrics is written as many pieces: without this, Nagle holds a small piece back until the
    // client acknowledges the previous one.
    setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char*>(&yes), sizeof yes);
    if (open >= limits.max_connections && !evictOne()) {
      logging::debug("connection refused: every connection is being served");
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
      if (listener.ctx != nullptr) {
        closeSocket(sock);  // no answer without a handshake
        continue;
      }
#endif
      sendAndClose(sock, 503, "Service Unavailable",
                   "Too many connections: all " + std::to_string(limits.max_connections) +
                       " (--web.max-connections) are being served. Try again later.\n");
      continue;
    }
    auto c = std::make_unique<Connection>(sock, listener, open);
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
    if (listener.ctx != nullptr && c->ssl == nullptr) continue;  // SSL_new failed: dropped
#endif
    c->source = sourceKey(peer);
    if (c->tls()) c->countHandshake(by_source);
    c->since = Clock::now();
    c->deadline = c->since + headDeadline();
    watch(std::move(c));
  }
}

// Makes room for a new connection: closes the idle keep-alive connection, else the stalled one,
// that has waited longest. False when every connection is being served.
bool Acceptor::Impl::evictOne() {
  auto victim = waiting.end();
  for (auto it = waiting.begin(); it != waiting.end(); ++it) {
    if (victim == waiting.end() || ((*it)->idle && !(*victim)->idle) ||
        ((*it)->idle == (*victim)->idle && (*it)->since < (*victim)->since)) {
      victim = it;
    }
  }
  if (victim == waiting.end()) return false;
  logging::debug("connection closed to make room (--web.max-connections)");
  unwatch(victim->get());
  return true;
}

void Acceptor::Impl::expire(std::unique_ptr<Connection> c) {
  // Only a plain-HTTP client that sent part of a request can read an answer.
  if (!c->idle && !c->tls() && c->hasUnread()) {
    sendAndClose(c->release(), 408, "Request Timeout",
                 "The request head was not complete within " + std::to_string(limits.request_head_timeout.count()) +
                     " ms (--web.request-head-timeout).\n");
  }
}

void Acceptor::Impl::dispatch(std::unique_ptr<Connection> c) {
  // std::function needs a copyable callable; the worker takes the connection back out.
  auto shared = std::make_shared<std::unique_ptr<Connection>>(std::move(c));
  pool.run([this, shared] { serve(std::move(*shared)); });
}

void Acceptor::Impl::serve(std::unique_ptr<Connection> c) {
  ConnectionStream strm(*c, limits);
  for (;;) {
    bool closed = false;
    // Closing after many requests lets a long-lived client's connection be rebalanced.
    const bool last = stopping || ++c->requests >= WebLimits::kMaxRequestsPerConnection;
    const bool ok = ServerAccess::process(*c->server, strm, last, closed, [&c](httplib::Request& req) {
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
      req.ssl = c->ssl;
#else
      (void)req;
      (void)c;
#endif
    });
    if (!ok || closed || last) {
      c->graceful = ok;
      return;
    }
    c->in.erase(0, c->used);
    c->used = 0;
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
    // Bytes OpenSSL already decrypted would not wake poll(): keep them with the connection.
    char buf[4096];
    while (c->tls() && SSL_pending(c->ssl) > 0) {
      const int n = SSL_read(c->ssl, buf, sizeof buf);
      if (n <= 0) return;
      c->in.append(buf, static_cast<size_t>(n));
    }
#endif
    // A pipelined request already in hand is served at once.
    if (c->hasUnread() && headState(c->in, 0) == Head::kComplete) continue;
    break;
  }
  const auto now = Clock::now();
  c->idle = !c->hasUnread();
  c->events = POLLIN;
  c->since = now;
  c->deadline = now + (c->idle ? limits.idle_timeout : limits.request_head_timeout);
  std::lock_guard lock(mu);
  if (stopping) return;  // the poll thread is gone or going: closed here
  returned.push_back(std::move(c));
  wake();
}

}  // namespace rras
