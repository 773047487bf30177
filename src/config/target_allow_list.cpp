#include "config/target_allow_list.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>

#include "sources/source_table.h"

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <arpa/inet.h>
#endif

namespace rras {

TargetAllowList::Width TargetAllowList::widthFor(const RouterTarget& router) {
  const SourceDescriptor* source = findSource(router.source);
  const bool relayable = source && source->relayable_credentials && source->relayable_credentials(router);
  return relayable ? Width::kNarrow : Width::kWide;
}

std::string TargetAllowList::normalize(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

namespace {

std::vector<std::string_view> labels(std::string_view name) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    const size_t dot = name.find('.', start);
    out.push_back(name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) return out;
    start = dot + 1;
  }
}

// Literal labels after the last one holding a '*': how much of the name a pattern pins down.
size_t literalTail(std::string_view pattern) {
  const auto parts = labels(pattern);
  size_t n = 0;
  for (auto it = parts.rbegin(); it != parts.rend() && it->find('*') == std::string_view::npos; ++it) ++n;
  return n;
}

}  // namespace

std::string TargetAllowList::malformed(std::string_view target) {
  if (target.empty()) return "is empty";
  if (target.size() > 253) return "is longer than 253 characters";
  if (parseAddress(target)) return "";
  for (std::string_view label : labels(target)) {
    if (label.empty()) return "has an empty label (\"..\" or a leading or trailing dot)";
    if (label.size() > 63) return "has a label longer than 63 characters";
    if (label.front() == '-' || label.back() == '-') return "has a label that starts or ends with '-'";
    for (char c : label) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
        return "is neither a host name nor an IP address (character '" + std::string(1, c) + "')";
      }
    }
  }
  return "";
}

std::optional<TargetAllowList::Address> TargetAllowList::parseAddress(std::string_view text) {
  const std::string s(text);
  Address a;
  if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) return a;
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) {
    a.v6 = true;
    return a;
  }
  return std::nullopt;
}

bool TargetAllowList::globMatch(std::string_view pattern, std::string_view label) {
  // '*' matches any run of characters within the label (the caller never passes a dot).
  size_t p = 0, l = 0, star = std::string_view::npos, mark = 0;
  while (l < label.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = l;
    } else if (p < pattern.size() && pattern[p] == label[l]) {
      ++p;
      ++l;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      l = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

TargetAllowList::TargetAllowList(const std::vector<std::string>& entries, Width width) {
  const bool narrow = width == Width::kNarrow;
  for (const std::string& raw : entries) {
    const std::string text = normalize(raw);
    auto fail = [&](const std::string& why) { throw std::invalid_argument("\"" + raw + "\" " + why); };
    Entry e;
    if (const size_t slash = text.find('/'); slash != std::string::npos) {
      e.network = parseAddress(std::string_view(text).substr(0, slash));
      if (!e.network) fail("is not a CIDR: the part before '/' is no IP address");
      const std::string_view bits = std::string_view(text).substr(slash + 1);
      const int max = e.network->v6 ? 128 : 32;
      auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), e.prefix);
      if (ec != std::errc() || end != bits.data() + bits.size() || e.prefix < 0 || e.prefix > max) {
        fail("is not a CIDR: the prefix length must be 0.." + std::to_string(max));
      }
      const int min = e.network->v6 ? (narrow ? 48 : 16) : (narrow ? 16 : 8);
      if (e.prefix < min) {
        fail("is too wide: this module allows at most /" + std::to_string(min) +
             (narrow ? " (it sends credentials that NTLM can relay; Kerberos modules may list wider ranges)" : ""));
      }
      entries_.push_back(e);
      continue;
    }
    if (parseAddress(text)) {
      e.name = text;
      entries_.push_back(e);
      continue;
    }
    if (text.find('*') == std::string::npos) {
      if (const std::string why = malformed(text); !why.empty()) fail(why);
      e.name = text;
      entries_.push_back(e);
      continue;
    }
    if (text.rfind("*.", 0) == 0 && text.find('*', 1) == std::string::npos) {
      e.suffix = true;
      e.name = text.substr(1);  // ".vpn.corp.example"
      if (const std::string why = malformed(text.substr(2)); !why.empty()) fail(why);
    } else {
      e.glob = true;
      e.name = text;
      for (std::string_view label : labels(text)) {
        if (label.empty()) fail("has an empty label (\"..\" or a leading or trailing dot)");
        // "*.*" or "rras.*.example" would match whole name spaces: a bare * only as "*.suffix".
        if (label == "*" && text != "*") fail("has a label that is only *; list DNS suffixes as *.corp.example");
        for (char c : label) {
          if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '*') {
            fail("is not a name pattern (character '" + std::string(1, c) + "')");
          }
        }
      }
    }
    const size_t tail = literalTail(text);
    if (text == "*" || (e.suffix && tail < 1)) fail("matches every name; list the names or DNS suffixes to reach");
    if (narrow && tail < 2) {
      fail(
          "is too wide for a module that sends credentials NTLM can relay: a pattern must end in at least "
          "two literal labels (e.g. *.vpn.corp.example); Kerberos modules may list wider patterns");
    }
    entries_.push_back(e);
  }
}

bool TargetAllowList::allows(std::string_view target_in) const {
  if (!malformed(target_in).empty()) return false;
  const std::string target = normalize(target_in);
  const std::optional<Address> address = parseAddress(target);
  for (const Entry& e : entries_) {
    if (e.network) {
      if (!address || address->v6 != e.network->v6) continue;
      int bits = e.prefix;
      bool match = true;
      for (size_t i = 0; bits > 0; ++i, bits -= 8) {
        const auto mask = static_cast<uint8_t>(bits >= 8 ? 0xFF : 0xFF << (8 - bits));
        if ((address->bytes[i] & mask) != (e.network->bytes[i] & mask)) {
          match = false;
          break;
        }
      }
      if (match) return true;
    } else if (address) {
      // Names never match an address; an exact address matches itself (written the same way or not).
      if (!e.suffix && !e.glob) {
        const auto other = parseAddress(e.name);
        if (other && other->v6 == address->v6 && other->bytes == address->bytes) return true;
      }
    } else if (e.suffix) {
      if (target.size() > e.name.size() && target.compare(target.size() - e.name.size(), e.name.size(), e.name) == 0) {
        return true;
      }
    } else if (e.glob) {
      const auto want = labels(e.name);
      const auto have = labels(target);
      if (want.size() != have.size()) continue;
      bool match = true;
      for (size_t i = 0; i < want.size() && match; ++i) match = globMatch(want[i], have[i]);
      if (match) return true;
    } else if (e.name == target) {
      return true;
    }
  }
  return false;
}

}  // namespace rras
