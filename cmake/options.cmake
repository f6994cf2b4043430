# Warnings and sanitizers as INTERFACE targets, linked privately by our own targets only.
add_library(selftalk_warnings INTERFACE)
target_compile_options(selftalk_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Woverloaded-virtual -Wimplicit-fallthrough)

add_library(selftalk_sanitizers INTERFACE)
if(SELFTALK_SANITIZE)
  target_compile_options(selftalk_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(selftalk_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
if(SELFTALK_TSAN)
  target_compile_options(selftalk_sanitizers INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(selftalk_sanitizers INTERFACE -fsanitize=thread)
endif()
