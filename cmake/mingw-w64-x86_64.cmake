# Cross toolchain: Debian 12's mingw-w64 with the posix thread model (GCC 12's win32 model has no
# std::thread or std::mutex). Everything is linked statically, so the .exe needs no mingw DLLs.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(RRAS_MINGW x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${RRAS_MINGW}-gcc-posix)
set(CMAKE_CXX_COMPILER ${RRAS_MINGW}-g++-posix)
set(CMAKE_RC_COMPILER ${RRAS_MINGW}-windres)
set(CMAKE_MC_COMPILER ${RRAS_MINGW}-windmc)
# APPEND, so -DCMAKE_FIND_ROOT_PATH=<deps sysroot> adds to the mingw root instead of replacing it.
list(APPEND CMAKE_FIND_ROOT_PATH /usr/${RRAS_MINGW})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static")
# ctest runs the test binaries through Wine.
find_program(WINE_EXECUTABLE NAMES wine)
if(WINE_EXECUTABLE)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${WINE_EXECUTABLE})
endif()
