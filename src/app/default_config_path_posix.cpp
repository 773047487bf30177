#include "app/default_config_path.h"

namespace rras {

std::string defaultConfigFile() { return "rras_exporter.yml"; }

}  // namespace rras
