# The JSONL-in/JSONL-out streaming filter run as a real process with pipes (docs/scale.md): one
# flushed output line per record, in order, error records in place, partitions agree.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME batch.filter_contract
  COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/filter_contract.py $<TARGET_FILE:selftalk_cli>)
set_tests_properties(batch.filter_contract PROPERTIES LABELS "batch" TIMEOUT 900 FAIL_REGULAR_EXPRESSION "FAIL: ")
