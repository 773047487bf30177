// UTF-8 validation, shared by the config loader (rejects) and the text writer (replaces).
#pragma once

#include <cstddef>
#include <string_view>

namespace rras::utf8 {

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is invalid (overlong forms,
// surrogates and code points past U+10FFFF are invalid).
size_t sequenceLength(std::string_view s, size_t i);
bool isValid(std::string_view s);

}  // namespace rras::utf8
