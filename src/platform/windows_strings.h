// Windows string edges: WCHAR arrays from the API to UTF-8, UTF-8 paths and names to WCHAR.
#pragma once

#include <windows.h>

#include <string>
#include <string_view>

#include "model/utf16.h"

namespace rras {

static_assert(sizeof(wchar_t) == sizeof(char16_t), "WCHAR is UTF-16 on Windows");

inline std::string utf16ToUtf8(const wchar_t* s, size_t max_units) {
  return utf16ToUtf8(reinterpret_cast<const char16_t*>(s), max_units);
}

// UTF-8 to UTF-16 (MultiByteToWideChar); invalid bytes become U+FFFD.
std::wstring utf8ToUtf16(std::string_view s);

// FormatMessageW text of a Win32 error code, without the trailing newline ("" when unknown).
std::string win32ErrorText(DWORD code);

}  // namespace rras
