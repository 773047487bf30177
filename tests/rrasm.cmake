add_executable(rras_rrasm_codec_tests unit/rrasm_codec_test.cpp)
target_link_libraries(rras_rrasm_codec_tests PRIVATE rras_rrasm_codec GTest::gtest GTest::gtest_main)
gtest_discover_tests(rras_rrasm_codec_tests PROPERTIES LABELS unit DISCOVERY_TIMEOUT 60)

# The fake DIMSVC needs Debian's python3-impacket, so the system python, not one from PATH.
add_test(NAME integration.rrasm_dimsvc
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/rrasm_dimsvc_test.py
                 $<TARGET_FILE:rras_exporter> ${CMAKE_SOURCE_DIR})
set_tests_properties(integration.rrasm_dimsvc PROPERTIES LABELS integration TIMEOUT 200 RUN_SERIAL TRUE)

# The sealed path for real: Samba shim and transport against Debian's smbd (srvsvc), RPC privacy
# and SMB3 encryption required. The same harness runs the Kerberos test below.
add_executable(rrasm_smbd_smoke integration/rrasm_smbd_smoke.cpp)
target_link_libraries(rrasm_smbd_smoke PRIVATE rras_core)
add_test(NAME integration.rrasm_smbd_sealed
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/integration/rrasm_smbd_smoke.sh $<TARGET_FILE:rrasm_smbd_smoke>)
set_tests_properties(integration.rrasm_smbd_sealed PROPERTIES LABELS integration TIMEOUT 120 RUN_SERIAL TRUE
                     SKIP_RETURN_CODE 77)

# `kerberos: true` for real: the same harness against a throw-away Samba AD DC and KDC on
# 127.0.0.1 (provisioned per run, ~5-10 s), with a kinit ticket cache and without one.
add_test(NAME integration.rrasm_kerberos
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/integration/rrasm_kerberos_smoke.sh $<TARGET_FILE:rrasm_smbd_smoke>
                 $<TARGET_FILE:rras_exporter>)
set_tests_properties(integration.rrasm_kerberos PROPERTIES LABELS integration TIMEOUT 60 RUN_SERIAL TRUE
                     SKIP_RETURN_CODE 77)

# sd_notify for the systemd unit (Linux).
add_test(NAME integration.systemd_notify
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/systemd_notify_test.py
                 $<TARGET_FILE:rras_exporter> ${CMAKE_SOURCE_DIR})
set_tests_properties(integration.systemd_notify PROPERTIES LABELS integration TIMEOUT 90 RUN_SERIAL TRUE)
