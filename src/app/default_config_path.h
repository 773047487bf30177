// Where the configuration lives when --config.file is not given.
#pragma once

#include <string>

namespace rras {

// POSIX: rras_exporter.yml in the working directory (packages pass --config.file).
// Windows: %ProgramData%\rras_exporter\rras_exporter.yml.
std::string defaultConfigFile();

}  // namespace rras
