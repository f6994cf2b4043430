# The batch HTML report opened in headless Chromium (Debian's `chromium`, installed by the test
# through scripts/bootstrap when missing): charts, the sortable worksheet table, counts that agree
# with summary.json, and no network request (checked in Chromium's net log, with a control page).
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME batch.report_in_chromium
  COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/report_browser_test.py $<TARGET_FILE:selftalk_cli>
          ${PROJECT_SOURCE_DIR})
set_tests_properties(batch.report_in_chromium PROPERTIES LABELS "batch;browser" TIMEOUT 600
  FAIL_REGULAR_EXPRESSION "FAIL: ")
