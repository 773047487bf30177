// The static baseline of the benchmark: serves two files captured from the exporter (the plain
// body, and the gzip body for clients that accept gzip) from memory through cpp-httplib, the
// exporter's own HTTP library, without copying. This is the floor "serve stored bytes" that the
// exporter's /metrics is compared with. Listens on 127.0.0.1 only and exits after --max-seconds.
#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>

#include "http/http_server.h"

namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: static_server PLAIN_FILE GZIP_FILE MAX_SECONDS\n";
    return 2;
  }
  try {
    const std::string plain = readFile(argv[1]);
    const std::string gzipped = readFile(argv[2]);
    const double max_seconds = std::stod(argv[3]);
    httplib::Server server;
    server.Get("/metrics", [&](const httplib::Request& req, httplib::Response& res) {
      const bool gzip = rras::acceptsGzip(req.get_header_value("Accept-Encoding"));
      const std::string& body = gzip ? gzipped : plain;
      if (gzip) res.set_header("Content-Encoding", "gzip");
      res.set_content_provider(body.size(), "text/plain; version=0.0.4; charset=utf-8",
                               [&body](size_t offset, size_t length, httplib::DataSink& sink) {
                                 return sink.write(body.data() + offset, length);
                               });
    });
    const int port = server.bind_to_any_port("127.0.0.1");
    if (port < 0) throw std::runtime_error("cannot bind 127.0.0.1");
    std::thread limit([&] {
      std::this_thread::sleep_for(std::chrono::duration<double>(max_seconds));
      server.stop();
    });
    limit.detach();
    std::printf("listening 127.0.0.1:%d\n", port);
    std::fflush(stdout);
    server.listen_after_bind();
  } catch (const std::exception& e) {
    std::cerr << "static_server: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
