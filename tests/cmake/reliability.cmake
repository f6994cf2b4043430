# docs/reliability.md, "no network access": neither the selftalk program nor the shared library
# imports a networking function (their own code is inside them; nm lists what they import).
set(SELFTALK_NO_NETWORK_SCRIPT ${CMAKE_CURRENT_BINARY_DIR}/no_network.cmake)
file(WRITE ${SELFTALK_NO_NETWORK_SCRIPT} [=[
execute_process(COMMAND ${NM} -D --undefined-only ${BINARY} OUTPUT_VARIABLE imports RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR imports STREQUAL "")
  message(FATAL_ERROR "FAIL: cannot list the imports of ${BINARY}")
endif()
string(REGEX MATCHALL
  "[ \t](socket|socketpair|connect|bind|listen|accept4?|send|sendto|sendmsg|recv|recvfrom|recvmsg|getaddrinfo|gethostbyname2?(_r)?|curl_[a-z_]+)(@[^\n]*)?\n"
  network "${imports}")
if(network)
  message(FATAL_ERROR "FAIL: ${BINARY} imports networking functions:${network}")
endif()
message(STATUS "${BINARY}: no networking imports")
]=])
foreach(target IN ITEMS selftalk_cli selftalk_shared)
  if(TARGET ${target})
    add_test(NAME reliability.no_network.${target}
      COMMAND ${CMAKE_COMMAND} -DNM=${CMAKE_NM} -DBINARY=$<TARGET_FILE:${target}> -P ${SELFTALK_NO_NETWORK_SCRIPT})
    set_tests_properties(reliability.no_network.${target} PROPERTIES LABELS "reliability")
  endif()
endforeach()
