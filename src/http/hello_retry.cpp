#include "http/hello_retry.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "http/web_config.h"

namespace rras::hello_retry {

namespace {

int stateIndex() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

std::uint16_t u16(const unsigned char* p) { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }

// supported_groups: a 2-byte length, then 2-byte group ids.
std::optional<std::vector<std::uint16_t>> parseSupported(const unsigned char* p, std::size_t n) {
  if (n < 2 || u16(p) != n - 2 || n % 2 != 0) return std::nullopt;
  std::vector<std::uint16_t> ids;
  for (std::size_t i = 2; i < n; i += 2) ids.push_back(u16(p + i));
  return ids;
}

// A ClientHello's key_share: a 2-byte length, then entries of a 2-byte group id and a key with a
// 2-byte length.
std::optional<std::vector<std::uint16_t>> parseKeyShares(const unsigned char* p, std::size_t n) {
  if (n < 2 || u16(p) != n - 2) return std::nullopt;
  std::vector<std::uint16_t> ids;
  for (std::size_t i = 2; i < n;) {
    if (n - i < 4) return std::nullopt;
    const std::size_t key_len = u16(p + i + 2);
    if (n - i - 4 < key_len) return std::nullopt;
    ids.push_back(u16(p + i));
    i += 4 + key_len;
  }
  return ids;
}

bool contains(const std::vector<std::uint16_t>& ids, std::uint16_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

// ex_data holds a pointer: to one of these, never freed (null is kNone).
constexpr State kStates[] = {State::kNone, State::kWanted, State::kAsked, State::kRetried};

State get(const SSL* ssl) {
  const auto* state = static_cast<const State*>(SSL_get_ex_data(ssl, stateIndex()));
  return state == nullptr ? State::kNone : *state;
}

void set(SSL* ssl, State state) {
  SSL_set_ex_data(ssl, stateIndex(), const_cast<State*>(&kStates[static_cast<std::size_t>(state)]));
}

std::string retryGroups(const std::string& server_groups, const unsigned char* supported, std::size_t supported_len,
                        const unsigned char* key_shares, std::size_t key_shares_len) {
  const auto client = parseSupported(supported, supported_len);
  const auto shared = parseKeyShares(key_shares, key_shares_len);
  if (!client || !shared) return {};
  std::string out;
  std::size_t from = 0;
  while (from <= server_groups.size()) {
    std::size_t to = server_groups.find(':', from);
    if (to == std::string::npos) to = server_groups.size();
    const std::string_view name(server_groups.data() + from, to - from);
    const auto id = tlsGroupId(name);
    if (id && contains(*client, *id) && !contains(*shared, *id)) {
      if (!out.empty()) out += ':';
      out.append(name);
    }
    from = to + 1;
  }
  return out;
}

}  // namespace rras::hello_retry
