#include "config/config_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <limits>
#include <map>

#include "config/config_file.h"
#include "config/yaml_documents.h"
#include "config/yaml_reader.h"
#include "model/utf8.h"

namespace rras {

namespace {

constexpr double kMaxPollSeconds = 86400;  // polls at least daily; longer would overflow timers

class Reader : public YamlReader<ConfigError> {
 public:
  using YamlReader::YamlReader;

  std::string scalar(const YAML::Node& node, const std::string& path, const char* expected) const {
    if (!node.IsScalar()) fail(node, path, std::string("expected ") + expected + ", got " + kind(node));
    // Names become label values: a file saved in a legacy code page must not break every scrape.
    if (!utf8::isValid(node.Scalar())) fail(node, path, "is not valid UTF-8; save the file as UTF-8");
    return node.Scalar();
  }

  std::string string(const YAML::Node& node, const std::string& path) const { return scalar(node, path, "a string"); }

  bool boolean(const YAML::Node& node, const std::string& path) const {
    const std::string s = scalar(node, path, "true or false");
    if (s == "true") return true;
    if (s == "false") return false;
    fail(node, path, "expected true or false, got \"" + s + "\"");
  }

  int64_t integer(const YAML::Node& node, const std::string& path, int64_t min, int64_t max) const {
    const std::string s = scalar(node, path, "an integer");
    int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) {
      fail(node, path, "expected an integer, got \"" + s + "\"");
    }
    if (v < min || v > max) {
      fail(node, path, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + s);
    }
    return v;
  }

  double number(const YAML::Node& node, const std::string& path, double min, double max) const {
    const std::string s = scalar(node, path, "a number");
    double v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || !(v >= min && v <= max)) {
      fail(node, path,
           "expected a number between " + std::to_string(min) + " and " + std::to_string(max) + ", got \"" + s + "\"");
    }
    return v;
  }

  double duration(const YAML::Node& node, const std::string& path, double max_seconds, bool allow_zero = false) const {
    const std::string s = scalar(node, path, "a duration such as 30s");
    double v = 0;
    try {
      v = parseDuration(s);
    } catch (const std::invalid_argument& e) {
      fail(node, path, e.what());
    }
    if (v == 0 && !allow_zero) fail(node, path, "must be longer than 0s");
    if (v > max_seconds) fail(node, path, "must not be longer than " + formatDuration(max_seconds));
    return v;
  }

  std::string choice(const YAML::Node& node, const std::string& path,
                     std::initializer_list<std::string_view> choices) const {
    std::string s = scalar(node, path, "a string");
    if (std::find(choices.begin(), choices.end(), s) != choices.end()) return s;
    fail(node, path, "\"" + s + "\" is not one of: " + joinNames(choices));
  }

  int maxLevel(const YAML::Node& node, const std::string& path) const {
    if (node.IsScalar() && node.Scalar() == "auto") return -1;
    if (!node.IsScalar()) fail(node, path, "expected auto or a level 0..3, got " + kind(node));
    return static_cast<int>(integer(node, path, 0, 3));
  }

  std::string readSecretFile(const YAML::Node& node, const std::string& path) const {
    return readSecretFile(node, path, string(node, path), 16);
  }

  // The file's contents without trailing line breaks; `name` relative to the config's folder.
  std::string readSecretFile(const YAML::Node& node, const std::string& path, const std::string& name,
                             size_t min_size) const {
    const std::filesystem::path file = resolve(name);
    std::ifstream in(file, std::ios::binary);
    if (!in) fail(node, path, "cannot read " + file.string());
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) content.pop_back();
    if (min_size > 1 && content.size() < min_size) {
      fail(node, path,
           file.string() + " holds fewer than " + std::to_string(min_size) + " bytes; use a longer random key");
    }
    if (content.empty()) fail(node, path, file.string() + " is empty");
    return content;
  }
};

void readPoll(const Reader& r, const YAML::Node& map, const std::string& path, PollSettings& poll) {
  if (auto n = map["poll_interval"]) poll.interval_seconds = r.duration(n, path + ".poll_interval", kMaxPollSeconds);
  if (auto n = map["poll_timeout"]) {
    poll.timeout_seconds = r.duration(n, path + ".poll_timeout", kMaxPollSeconds);
    if (poll.timeout_seconds > poll.interval_seconds) {
      r.fail(n, path + ".poll_timeout",
             "poll_timeout (" + formatDuration(poll.timeout_seconds) + ") must not exceed poll_interval (" +
                 formatDuration(poll.interval_seconds) + ")");
    }
  } else {
    // As Prometheus does with scrape_timeout: an inherited timeout shrinks to a shorter interval.
    poll.timeout_seconds = std::min(poll.timeout_seconds, poll.interval_seconds);
  }
  if (auto n = map["page_size_bytes"]) {
    poll.page_size_bytes = r.integer(n, path + ".page_size_bytes", -1, 0xFFFFFFFE);
    if (poll.page_size_bytes == 0) r.fail(n, path + ".page_size_bytes", "must be -1 (all) or a positive byte count");
  }
  if (auto n = map["max_level"]) poll.max_level = r.maxLevel(n, path + ".max_level");
}

void readSimulator(const Reader& r, const YAML::Node& node, const std::string& path, SimulatorConfig& sim) {
  r.expectMap(node, path,
              {"connections", "churn_per_minute", "max_level", "enum_ex", "server_info_level", "total_ports", "seed",
               "faults"});
  if (auto n = node["connections"])
    sim.connections = static_cast<uint32_t>(r.integer(n, path + ".connections", 0, 200000));
  if (auto n = node["churn_per_minute"]) sim.churn_per_minute = r.number(n, path + ".churn_per_minute", 0, 1e6);
  if (auto n = node["max_level"]) sim.max_level = static_cast<int>(r.integer(n, path + ".max_level", 0, 3));
  if (auto n = node["enum_ex"]) sim.enum_ex = r.boolean(n, path + ".enum_ex");
  if (auto n = node["server_info_level"])
    sim.server_info_level = static_cast<int>(r.integer(n, path + ".server_info_level", -1, 2));
  if (auto n = node["total_ports"])
    sim.total_ports = static_cast<uint32_t>(r.integer(n, path + ".total_ports", 0, 1000000));
  if (auto n = node["seed"])
    sim.seed = static_cast<uint64_t>(r.integer(n, path + ".seed", 0, std::numeric_limits<int64_t>::max()));
  if (auto faults = node["faults"]) {
    const std::string fpath = path + ".faults";
    r.expectMap(faults, fpath,
                {"connect_error", "service_running", "ddm_not_running", "hang", "churn_per_call", "resume_stuck",
                 "binding_lost_every"});
    if (auto n = faults["connect_error"]) {
      sim.connect_error = r.choice(n, fpath + ".connect_error",
                                   {"access_denied", "server_unavailable", "invalid_binding", "unknown_if"});
    }
    if (auto n = faults["service_running"]) sim.service_running = r.boolean(n, fpath + ".service_running");
    if (auto n = faults["ddm_not_running"]) sim.ddm_not_running = r.boolean(n, fpath + ".ddm_not_running");
    if (auto n = faults["hang"]) sim.hang_seconds = r.duration(n, fpath + ".hang", 366 * 86400.0, true);
    if (auto n = faults["churn_per_call"])
      sim.churn_per_call = static_cast<uint32_t>(r.integer(n, fpath + ".churn_per_call", 0, 100000));
    if (auto n = faults["resume_stuck"]) sim.resume_stuck = r.boolean(n, fpath + ".resume_stuck");
    if (auto n = faults["binding_lost_every"])
      sim.binding_lost_every = static_cast<uint32_t>(r.integer(n, fpath + ".binding_lost_every", 0, 1000000));
  }
}

// ${CREDENTIALS_DIRECTORY} at the start of a path is where systemd's LoadCredential= put the files.
std::string expandCredentialsDirectory(const Reader& r, const YAML::Node& node, const std::string& path,
                                       std::string file) {
  constexpr std::string_view kVar = "${CREDENTIALS_DIRECTORY}";
  if (file.compare(0, kVar.size(), kVar) != 0) return file;
  const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
  if (dir == nullptr || *dir == '\0') {
    r.fail(node, path, "uses ${CREDENTIALS_DIRECTORY} but it is not set (systemd sets it for LoadCredential=)");
  }
  return std::string(dir) + file.substr(kVar.size());
}

void readRrasm(const Reader& r, const YAML::Node& node, const std::string& path, RouterConfig& router) {
  RrasmConfig& rrasm = router.rrasm;
  const char* keys[] = {"transport", "port", "auth_level", "credentials", "kerberos", "timeout"};
  for (const char* key : keys) {
    if (node[key] && router.source != "rrasm") r.fail(node[key], path + "." + key, "only allowed with source: rrasm");
  }
  if (router.source != "rrasm") return;
  if (router.server.empty()) r.fail(node, path, "source rrasm needs server: the RRAS server's DNS name or IP address");
  if (router.server.find_first_of("[],\\/ \t\"'") != std::string::npos) {
    r.fail(node["server"], path + ".server", "\"" + router.server + "\" is not a host name or IP address");
  }
  if (auto n = node["transport"]) {
    rrasm.transport = r.choice(n, path + ".transport", {"np", "tcp"}) == "np" ? RrasmConfig::Transport::kNamedPipe
                                                                              : RrasmConfig::Transport::kTcp;
  }
  if (auto n = node["port"]) rrasm.port = static_cast<uint16_t>(r.integer(n, path + ".port", 1, 65535));
  if (auto n = node["auth_level"]) {
    const std::string v = r.choice(n, path + ".auth_level", {"privacy", "integrity", "none"});
    rrasm.auth_level = v == "privacy"     ? RrasmConfig::AuthLevel::kPrivacy
                       : v == "integrity" ? RrasmConfig::AuthLevel::kIntegrity
                                          : RrasmConfig::AuthLevel::kNone;
  }
  if (auto n = node["timeout"]) rrasm.timeout_seconds = r.duration(n, path + ".timeout", 3600);
  if (auto n = node["kerberos"]) rrasm.kerberos = r.boolean(n, path + ".kerberos");
  const YAML::Node credentials = node["credentials"];
  if (credentials && rrasm.kerberos) {
    r.fail(credentials, path + ".credentials", "use either credentials or kerberos: true, not both");
  }
  // Kerberos names the server by its host name (tickets for cifs/<name> and host/<name>); with an
  // address Samba would only fail later with NT_STATUS_INVALID_PARAMETER.
  const bool ip_address = router.server.find_first_not_of("0123456789.") == std::string::npos ||
                          router.server.find(':') != std::string::npos;
  if (rrasm.kerberos && ip_address) {
    r.fail(node["server"], path + ".server",
           "kerberos: true needs the server's DNS name (Kerberos tickets name it), not the address " + router.server);
  }
  if (credentials) {
    const std::string cpath = path + ".credentials";
    r.expectMap(credentials, cpath, {"domain", "username", "password_file"});
    if (auto n = credentials["domain"]) rrasm.domain = r.string(n, cpath + ".domain");
    const YAML::Node username = credentials["username"];
    if (!username) r.fail(credentials, cpath, "missing key \"username\"");
    rrasm.username = r.string(username, cpath + ".username");
    if (rrasm.username.empty()) r.fail(username, cpath + ".username", "must not be empty");
    const YAML::Node password_file = credentials["password_file"];
    if (!password_file)
      r.fail(credentials, cpath, "missing key \"password_file\" (passwords are read from files only)");
    rrasm.password_file = expandCredentialsDirectory(r, password_file, cpath + ".password_file",
                                                     r.string(password_file, cpath + ".password_file"));
    rrasm.password = r.readSecretFile(password_file, cpath + ".password_file", rrasm.password_file, 1);
  }
  // Only an unauthenticated TCP binding (test doubles, odd networks) goes without an account.
  const bool anonymous_ok =
      rrasm.transport == RrasmConfig::Transport::kTcp && rrasm.auth_level == RrasmConfig::AuthLevel::kNone;
  if (!credentials && !rrasm.kerberos && !anonymous_ok) {
    r.fail(node, path, "source rrasm needs credentials: {domain, username, password_file} or kerberos: true");
  }
}

}  // namespace

std::string formatDuration(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%gs", seconds);
  return buf;
}

double parseDuration(const std::string& text) {
  // Units in the order Prometheus requires them, each at most once.
  static const std::pair<std::string_view, double> kUnits[] = {
      {"y", 365 * 86400.0}, {"w", 7 * 86400.0}, {"d", 86400.0}, {"h", 3600.0}, {"m", 60.0}, {"s", 1.0}, {"ms", 0.001}};
  if (text.empty()) throw std::invalid_argument("empty duration; use a value such as 30s");
  double total = 0;
  size_t pos = 0, next_unit = 0;
  while (pos < text.size()) {
    size_t digits = pos;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    if (digits == pos) break;
    uint64_t value = 0;
    if (std::from_chars(text.data() + pos, text.data() + digits, value).ec != std::errc() ||
        value > (uint64_t{1} << 53)) {
      throw std::invalid_argument("\"" + text + "\" is too long a duration");
    }
    size_t unit_end = digits;
    while (unit_end < text.size() && text[unit_end] >= 'a' && text[unit_end] <= 'z') ++unit_end;
    const std::string_view unit(text.data() + digits, unit_end - digits);
    size_t i = next_unit;
    while (i < std::size(kUnits) && kUnits[i].first != unit) ++i;
    if (i == std::size(kUnits)) break;
    total += static_cast<double>(value) * kUnits[i].second;
    next_unit = i + 1;
    pos = unit_end;
  }
  if (pos != text.size()) {
    throw std::invalid_argument("\"" + text +
                                "\" is not a duration; use units y, w, d, h, m, s, ms in that order, e.g. 1m30s");
  }
  return total;
}

Config parseConfig(const std::string& text, const std::string& name, const std::string& base_dir) {
  const Reader r(name, base_dir);
  const YAML::Node root = loadOneYamlDocument<ConfigError>(text, name, "; the configuration is one document");
  if (!root || root.IsNull()) throw ConfigError(name + ": the file is empty; it needs at least a routers: list");
  r.expectMap(root, "", {"global", "routers"});

  Config config;
  config.file = name;
  if (auto g = root["global"]) {
    r.expectMap(g, "global",
                {"poll_interval", "poll_timeout", "page_size_bytes", "max_level", "per_connection_metrics",
                 "max_connections_per_router", "privacy"});
    readPoll(r, g, "global", config.global.poll);
    if (auto n = g["per_connection_metrics"])
      config.global.per_connection_metrics = r.boolean(n, "global.per_connection_metrics");
    if (auto n = g["max_connections_per_router"]) {
      config.global.max_connections_per_router =
          static_cast<uint32_t>(r.integer(n, "global.max_connections_per_router", 0, 1000000));
    }
    if (auto p = g["privacy"]) {
      auto& privacy = config.global.privacy;
      r.expectMap(p, "global.privacy", {"usernames", "hash_key_file", "client_addresses"});
      if (auto n = p["usernames"]) {
        const std::string v = r.choice(n, "global.privacy.usernames", {"plain", "hash", "omit"});
        privacy.usernames = v == "plain"  ? PrivacyConfig::Usernames::kPlain
                            : v == "hash" ? PrivacyConfig::Usernames::kHash
                                          : PrivacyConfig::Usernames::kOmit;
      }
      if (auto n = p["client_addresses"]) {
        privacy.client_addresses = r.choice(n, "global.privacy.client_addresses", {"plain", "omit"}) == "plain"
                                       ? PrivacyConfig::ClientAddresses::kPlain
                                       : PrivacyConfig::ClientAddresses::kOmit;
      }
      if (auto n = p["hash_key_file"]) {
        privacy.hash_key_file = r.string(n, "global.privacy.hash_key_file");
        privacy.hash_key = r.readSecretFile(n, "global.privacy.hash_key_file");
      }
      if (privacy.usernames == PrivacyConfig::Usernames::kHash && privacy.hash_key.empty()) {
        r.fail(p, "global.privacy",
               "usernames: hash needs hash_key_file (a file with a random key of 16 bytes or more)");
      }
    }
  }

  const YAML::Node routers = root["routers"];
  if (!routers) r.fail(root, "", "missing key \"routers\" (the list of RRAS routers to poll)");
  if (!routers.IsSequence()) r.fail(routers, "routers", "expected a list, got " + Reader::kind(routers));
  if (routers.size() == 0) r.fail(routers, "routers", "the list is empty; configure at least one router");
  std::map<std::string, std::string> names;
  for (size_t i = 0; i < routers.size(); ++i) {
    const YAML::Node node = routers[i];
    if (node.IsNull())
      r.fail(routers, "routers[" + std::to_string(i) + "]", "empty list entry; expected a router mapping");
    RouterConfig router;
    router.poll = config.global.poll;
    router.location = r.where(node);
    std::string path = "routers[" + std::to_string(i) + "]";
    r.expectMap(
        node, path,
        {"name", "source", "server", "poll_interval", "poll_timeout", "page_size_bytes", "max_level", "simulator",
         "mprapi_dll_path", "transport", "port", "auth_level", "credentials", "kerberos", "timeout"});
    const YAML::Node name_node = node["name"];
    if (!name_node) r.fail(node, path, "missing key \"name\"");
    router.name = r.string(name_node, path + ".name");
    if (router.name.empty()) r.fail(name_node, path + ".name", "must not be empty");
    if (auto [it, inserted] = names.emplace(router.name, r.where(name_node)); !inserted) {
      r.fail(name_node, path + ".name",
             "duplicate router name \"" + router.name + "\" (first defined at " + it->second + ")");
    }
    path = "routers[" + router.name + "]";
    const YAML::Node source = node["source"];
    if (!source) r.fail(node, path, "missing key \"source\" (one of simulator, mprapi, rrasm)");
    router.source = r.choice(source, path + ".source", {"simulator", "mprapi", "rrasm"});
    if (auto n = node["server"]) router.server = r.string(n, path + ".server");
    readPoll(r, node, path, router.poll);
    if (auto n = node["simulator"]) {
      if (router.source != "simulator") r.fail(n, path + ".simulator", "only allowed with source: simulator");
      readSimulator(r, n, path + ".simulator", router.simulator);
    }
    if (auto n = node["mprapi_dll_path"]) {
      if (router.source != "mprapi") r.fail(n, path + ".mprapi_dll_path", "only allowed with source: mprapi");
      router.mprapi_dll_path = r.string(n, path + ".mprapi_dll_path");
      if (router.mprapi_dll_path.empty()) r.fail(n, path + ".mprapi_dll_path", "must not be empty");
    }
    readRrasm(r, node, path, router);
    config.routers.push_back(std::move(router));
  }
  return config;
}

Config loadConfigFile(const std::string& path) {
  const auto file = readConfigFile(path);
  if (!file) throw ConfigError(path + ": cannot open the configuration file (does it exist and is it readable?)");
  return parseConfig(file->text, path, file->folder);
}

}  // namespace rras
