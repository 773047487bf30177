// UTF-16 (Windows WCHAR arrays, NDR strings) to UTF-8, bounded by the array size: a missing
// terminator never reads past the array, and a lone surrogate becomes U+FFFD as
// WideCharToMultiByte(CP_UTF8) does.
#pragma once

#include <cstddef>
#include <string>

namespace rras {

// Converts s[0..max_units) up to the first NUL.
std::string utf16ToUtf8(const char16_t* s, size_t max_units);

}  // namespace rras
