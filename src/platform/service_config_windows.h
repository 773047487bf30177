// What the MSI cannot declare with wixl (it has no ServiceConfig element): automatic *delayed*
// start and restart on failure. The installer runs `rras_exporter.exe --service.configure=NAME`
// after creating the service.
#pragma once

#include <string>

namespace rras {

// Sets delayed automatic start and failure actions (restart after 60 s, three times; the count
// resets after a day; also on non-crash failures). Returns 0, or the Win32 error after printing it.
int configureService(const std::string& name);

}  // namespace rras
