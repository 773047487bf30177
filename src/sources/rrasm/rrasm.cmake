# The rrasm source (Linux): MS-RRASM over Samba's DCE/RPC client libraries.
pkg_check_modules(SAMBA_DCERPC REQUIRED IMPORTED_TARGET dcerpc samba-credentials samba-hostconfig samba-util)
find_library(SAMBA_ERRORS_LIBRARY NAMES samba-errors REQUIRED)  # nt_errstr; in no .pc file

set(RRASM_CODEC_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/ndr_stream.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dimsvc_codec.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rasi_connection.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rasi_interface_port.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ras_connection_ex.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rrasm_status.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rrasm_binding.cpp)

# The codec alone, without Samba: golden-byte tests and fuzzers decode byte spans with it.
add_library(rras_rrasm_codec STATIC ${RRASM_CODEC_SOURCES})
target_link_libraries(rras_rrasm_codec PUBLIC rras_router)
add_dependencies(rras_rrasm_codec rras_layer_check)

# In the exporter (the sources layer): codec, transport and the RouterApi implementation.
enable_language(C)
target_link_libraries(rras_sources PUBLIC rras_rrasm_codec)
target_sources(rras_sources PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/dce_shim.c
  ${CMAKE_CURRENT_LIST_DIR}/dce_transport.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rrasm_router.cpp)
# Samba's headers are C with unused parameters: only the shim sees them, as system headers.
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/dce_shim.c PROPERTIES COMPILE_OPTIONS "-Wno-pedantic")
target_link_libraries(rras_sources PUBLIC PkgConfig::SAMBA_DCERPC ${SAMBA_ERRORS_LIBRARY})
target_compile_definitions(rras_sources PUBLIC RRAS_WITH_RRASM=1)
