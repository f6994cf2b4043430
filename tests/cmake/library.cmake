# The library as others use it: the C example and the Python ctypes example against the shared
# library, and consumer projects built (through find_package and through pkg-config) against an
# install of this build tree into build/.../library-install.
include(GNUInstallDirs)
enable_language(C)

# Flags a program linking our (possibly sanitized) libraries needs.
set(SELFTALK_CONSUMER_FLAGS "")
if(SELFTALK_SANITIZE)
  set(SELFTALK_CONSUMER_FLAGS "-fsanitize=address,undefined")
elseif(SELFTALK_TSAN)
  set(SELFTALK_CONSUMER_FLAGS "-fsanitize=thread")
endif()
set(SELFTALK_SANITIZER_REPORT "ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|WARNING: ThreadSanitizer")

add_executable(selftalk_c_example ${PROJECT_SOURCE_DIR}/examples/c/example.c)
set_target_properties(selftalk_c_example PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
target_compile_options(selftalk_c_example PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion)
target_link_libraries(selftalk_c_example PRIVATE selftalk_shared selftalk_sanitizers)
add_test(NAME library.c_example COMMAND selftalk_c_example "I always ruin everything. I should have known better.")
set_tests_properties(library.c_example PROPERTIES
  PASS_REGULAR_EXPRESSION "1:1: absolute \\([a-z]+\\): \"I always ruin everything\".*\n    try: .*should \\("
  FAIL_REGULAR_EXPRESSION "${SELFTALK_SANITIZER_REPORT}")

# The complete C++ example of docs/library.md.
add_executable(selftalk_tour ${PROJECT_SOURCE_DIR}/examples/tour.cpp)
target_link_libraries(selftalk_tour PRIVATE selftalk::selftalk selftalk_warnings selftalk_sanitizers)
add_test(NAME library.tour COMMAND selftalk_tour)
set_tests_properties(library.tour PROPERTIES
  PASS_REGULAR_EXPRESSION "text 1 1:21 \\[self_label, high, mine.hopeless-case\\] \"I'm a hopeless case\" bytes 24-43, code points 20-39, UTF-16 21-40.*self-label \\(someone else's words\\): I'm useless.*streamed: [1-9]"
  FAIL_REGULAR_EXPRESSION "${SELFTALK_SANITIZER_REPORT}")

find_program(SELFTALK_PYTHON NAMES python3)
if(SELFTALK_PYTHON AND NOT SELFTALK_TSAN)
  set(python_env "")
  if(SELFTALK_SANITIZE)
    # An ASan library loaded into an uninstrumented interpreter needs the runtime preloaded; the
    # interpreter's own allocations are not ours to leak-check.
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libasan.so OUTPUT_VARIABLE asan OUTPUT_STRIP_TRAILING_WHITESPACE)
    set(python_env ${CMAKE_COMMAND} -E env LD_PRELOAD=${asan} ASAN_OPTIONS=detect_leaks=0)
  endif()
  add_test(NAME library.python_example
    COMMAND ${python_env} ${SELFTALK_PYTHON} ${PROJECT_SOURCE_DIR}/examples/python/example.py
            --library $<TARGET_FILE:selftalk_shared> "I always ruin everything. I should have known better.")
  set_tests_properties(library.python_example PROPERTIES
    PASS_REGULAR_EXPRESSION "1:1: absolute: \"I always ruin everything\".*\n    try: .*: should: \"[^\"]+\""
    FAIL_REGULAR_EXPRESSION "${SELFTALK_SANITIZER_REPORT}|Traceback")
endif()

# Peak memory of the incremental API: 2 MiB streamed here (label "memory"); the 1 GiB run is
# `tests/selftalk_stream_memory --mib 1024` (docs/library.md).
add_executable(selftalk_stream_memory ${PROJECT_SOURCE_DIR}/examples/stream_memory.cpp)
target_link_libraries(selftalk_stream_memory PRIVATE selftalk::selftalk selftalk_warnings selftalk_sanitizers)
if(NOT SELFTALK_SANITIZE AND NOT SELFTALK_TSAN)
  add_test(NAME library.stream_memory COMMAND selftalk_stream_memory --mib 2 --max-rss-mb 100)
  set_tests_properties(library.stream_memory PROPERTIES LABELS memory)
endif()

if(SELFTALK_INSTALL)
  set(prefix ${CMAKE_BINARY_DIR}/library-install)
  set(consumers ${CMAKE_BINARY_DIR}/library-consumers)
  add_test(NAME library.install COMMAND ${CMAKE_COMMAND} --install ${CMAKE_BINARY_DIR} --prefix ${prefix})
  set_tests_properties(library.install PROPERTIES FIXTURES_SETUP selftalk_installed)

  add_test(NAME library.consumer_find_package
    COMMAND ${CMAKE_CTEST_COMMAND} --build-and-test ${PROJECT_SOURCE_DIR}/examples/consumer ${consumers}/cmake
            --build-generator ${CMAKE_GENERATOR} --build-makeprogram ${CMAKE_MAKE_PROGRAM}
            --build-options -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}
                            -DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER} "-DCMAKE_CXX_FLAGS=${SELFTALK_CONSUMER_FLAGS}"
            --test-command ${CMAKE_CTEST_COMMAND} --output-on-failure)
  set_tests_properties(library.consumer_find_package PROPERTIES FIXTURES_REQUIRED selftalk_installed
    FAIL_REGULAR_EXPRESSION "${SELFTALK_SANITIZER_REPORT}")

  find_program(SELFTALK_MAKE NAMES make gmake)
  find_program(SELFTALK_PKG_CONFIG NAMES pkg-config)
  if(SELFTALK_MAKE AND SELFTALK_PKG_CONFIG)
    file(MAKE_DIRECTORY ${consumers}/pkg-config)
    add_test(NAME library.consumer_pkg_config
      COMMAND ${CMAKE_COMMAND} -E env PKG_CONFIG_PATH=${prefix}/${CMAKE_INSTALL_LIBDIR}/pkgconfig
              PKG_CONFIG=${SELFTALK_PKG_CONFIG} CXX=${CMAKE_CXX_COMPILER} "CXXFLAGS=${SELFTALK_CONSUMER_FLAGS}"
              sh -c "rm -f consumer && ${SELFTALK_MAKE} -s -f ${PROJECT_SOURCE_DIR}/examples/pkgconfig/Makefile OUT=consumer && ./consumer && echo consumer-ok"
      WORKING_DIRECTORY ${consumers}/pkg-config)
    set_tests_properties(library.consumer_pkg_config PROPERTIES FIXTURES_REQUIRED selftalk_installed
      PASS_REGULAR_EXPRESSION "absolute: \"I always ruin everything\".*consumer-ok"
      FAIL_REGULAR_EXPRESSION "${SELFTALK_SANITIZER_REPORT}")
  endif()
endif()

# Under ThreadSanitizer (preset tsan, scripts/tsan): the thread-safety cases in a binary of their
# own, so the check does not wait for the whole suite to build.
if(SELFTALK_TSAN)
  add_executable(selftalk_thread_tests ${CMAKE_CURRENT_SOURCE_DIR}/main.cpp ${CMAKE_CURRENT_SOURCE_DIR}/threads_test.cpp)
  target_link_libraries(selftalk_thread_tests PRIVATE selftalk::selftalk doctest::doctest nlohmann_json::nlohmann_json
    selftalk_warnings selftalk_sanitizers)
  target_compile_definitions(selftalk_thread_tests PRIVATE SELFTALK_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  add_test(NAME library.threads_tsan COMMAND selftalk_thread_tests --test-case=threads:*)
  set_tests_properties(library.threads_tsan PROPERTIES
    ENVIRONMENT "TSAN_OPTIONS=halt_on_error=1"
    FAIL_REGULAR_EXPRESSION "WARNING: ThreadSanitizer")
endif()
