// libFuzzer target: the main configuration loader (--config.file). Any input must either load or
// throw ConfigError; any other exception, crash or sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    // A folder that does not exist: hash_key_file paths in the input must not reach real files.
    (void)rras::parseConfig(text, "fuzz.yml", "/nonexistent-rras-fuzz");
  } catch (const rras::ConfigError&) {
  }
  return 0;
}
