#include <windows.h>

#include "app/default_config_path.h"
#include "platform/windows_strings.h"

namespace rras {

std::string defaultConfigFile() {
  wchar_t buffer[MAX_PATH];
  const DWORD n = GetEnvironmentVariableW(L"ProgramData", buffer, MAX_PATH);
  const std::string base = n > 0 && n < MAX_PATH ? utf16ToUtf8(buffer, n) : "C:\\ProgramData";
  return base + "\\rras_exporter\\rras_exporter.yml";
}

}  // namespace rras
