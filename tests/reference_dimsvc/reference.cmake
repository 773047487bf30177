# The reference DIMSVC router (README.md here): dimsvc.idl compiled by widl, the server cross-built
# with mingw-w64 outside the CMake toolchain (custom commands), run under Wine by the ctest
# reference.dimsvc. Included from tests/CMakeLists.txt in the Linux build. Without the tools the
# test is still registered and fails saying what is missing (scripts/windows-deps.sh installs
# them; re-run cmake afterwards).
if(NOT TARGET rras_rrasm_codec)
  return()  # built without the rrasm source: nothing to test against the reference
endif()

find_program(RRAS_WIDL NAMES x86_64-w64-mingw32-widl widl)
find_program(RRAS_MINGW_GCC NAMES x86_64-w64-mingw32-gcc-posix x86_64-w64-mingw32-gcc)
find_program(RRAS_WINE NAMES wine wine64)

set(_ref_src ${CMAKE_CURRENT_LIST_DIR})
set(_ref_out ${CMAKE_BINARY_DIR}/reference_dimsvc)
set(_ref_exe ${_ref_out}/reference_dimsvc.exe)

if(RRAS_WIDL AND RRAS_MINGW_GCC AND RRAS_WINE)
  # Two builds: the one the test uses (WINE_NDR_WORKAROUNDS, see dimsvc.idl) and the spec's
  # declarations as printed, which the test runs once to report what Wine makes of them.
  set(_ref_exes)
  foreach(_variant IN ITEMS workarounds spec_layout)
    set(_dir ${_ref_out}/${_variant})
    if(_variant STREQUAL "workarounds")
      set(_defs -DWINE_NDR_WORKAROUNDS)
      set(_exe ${_ref_exe})
    else()
      set(_defs)
      set(_exe ${_ref_out}/reference_dimsvc_spec_layout.exe)
    endif()
    file(MAKE_DIRECTORY ${_dir})  # widl writes into its working directory
    add_custom_command(
      OUTPUT ${_dir}/dimsvc.h ${_dir}/dimsvc_s.c
      # -Os (inline stubs): widl 7's -Oif format strings list the explicit handle_t as a 4-byte
      # wire parameter, which shifts every request under Wine's interpreter (README.md).
      COMMAND ${RRAS_WIDL} --win64 -Os ${_defs} -I${_ref_src} -s -h ${_ref_src}/dimsvc.idl
      WORKING_DIRECTORY ${_dir}
      DEPENDS ${_ref_src}/dimsvc.idl ${_ref_src}/dimsvc_base.idl
      COMMENT "widl: DIMSVC server stub (${_variant})"
      VERBATIM)
    add_custom_command(
      OUTPUT ${_exe}
      COMMAND ${RRAS_MINGW_GCC} -O2 -g ${_defs} -DUSE_COMPILER_EXCEPTIONS -include ${_ref_src}/rpc_seh_compat.h
              -I${_dir} -I${_ref_src} -c ${_dir}/dimsvc_s.c -o ${_dir}/dimsvc_s.o
      COMMAND ${RRAS_MINGW_GCC} -O2 -g -Wall -Wextra ${_defs} -I${_dir} -I${_ref_src}
              -c ${_ref_src}/reference_dimsvc.c -o ${_dir}/reference_dimsvc.o
      COMMAND ${RRAS_MINGW_GCC} -static -o ${_exe} ${_dir}/reference_dimsvc.o ${_dir}/dimsvc_s.o -lrpcrt4
      DEPENDS ${_dir}/dimsvc.h ${_dir}/dimsvc_s.c ${_ref_src}/reference_dimsvc.c ${_ref_src}/rasi_layouts.h
              ${_ref_src}/dimsvc_base.h ${_ref_src}/rpc_seh_compat.h
      COMMENT "mingw-w64: ${_exe}"
      VERBATIM)
    list(APPEND _ref_exes ${_exe})
  endforeach()
  add_custom_target(reference_dimsvc ALL DEPENDS ${_ref_exes})
  set(_ref_arg ${_ref_exe})
else()
  message(STATUS "reference DIMSVC router not built: need x86_64-w64-mingw32-widl (mingw-w64-tools), "
                 "x86_64-w64-mingw32-gcc-posix and wine (widl: ${RRAS_WIDL}, gcc: ${RRAS_MINGW_GCC}, "
                 "wine: ${RRAS_WINE}); the test reference.dimsvc will fail")
  set(_ref_arg "${_ref_exe}")  # absent: the test says what is missing
endif()

# Needs root (unshare --net) and Debian's python3-impacket for the parity runs of the Python fake.
add_test(NAME reference.dimsvc
         COMMAND /usr/bin/python3 ${_ref_src}/reference_router_test.py $<TARGET_FILE:rras_exporter>
                 ${CMAKE_SOURCE_DIR} ${_ref_arg})
set_tests_properties(reference.dimsvc PROPERTIES LABELS reference TIMEOUT 300 RUN_SERIAL TRUE)
