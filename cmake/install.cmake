# Install rules: headers, static and shared libraries, the CLI, the default packs, a CMake package
# (find_package(selftalk) -> selftalk::selftalk, selftalk::selftalk_shared) and a pkg-config file.
# Everything installed is relocatable: `cmake --install build --prefix /any/where` works.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(SELFTALK_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/selftalk)
set(SELFTALK_PACKS_DIR ${CMAKE_INSTALL_DATADIR}/selftalk/rules/en)

install(TARGETS selftalk selftalk_shared EXPORT selftalkTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/lib/include/selftalk
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/lib/include/selftalk/version.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/selftalk)
if(TARGET selftalk_cli)
  install(TARGETS selftalk_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/rules/en/ DESTINATION ${SELFTALK_PACKS_DIR} FILES_MATCHING PATTERN "*.json")

install(EXPORT selftalkTargets NAMESPACE selftalk:: DESTINATION ${SELFTALK_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/selftalkConfig.cmake.in
  ${PROJECT_BINARY_DIR}/selftalkConfig.cmake
  INSTALL_DESTINATION ${SELFTALK_CMAKE_DIR}
  PATH_VARS SELFTALK_PACKS_DIR)
# Before 1.0 a minor release may break compatibility (see the SONAME in lib/CMakeLists.txt).
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(SELFTALK_COMPATIBILITY SameMinorVersion)
else()
  set(SELFTALK_COMPATIBILITY SameMajorVersion)
endif()
write_basic_package_version_file(${PROJECT_BINARY_DIR}/selftalkConfigVersion.cmake
  COMPATIBILITY ${SELFTALK_COMPATIBILITY})
install(FILES ${PROJECT_BINARY_DIR}/selftalkConfig.cmake ${PROJECT_BINARY_DIR}/selftalkConfigVersion.cmake
  DESTINATION ${SELFTALK_CMAKE_DIR})

# pkg-config: the prefix is found relative to the .pc file, so the tree can move.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(SELFTALK_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH SELFTALK_PC_UP "/root/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/root")
  string(REGEX REPLACE "/$" "" SELFTALK_PC_UP "${SELFTALK_PC_UP}")
  set(SELFTALK_PC_PREFIX "\${pcfiledir}/${SELFTALK_PC_UP}")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/selftalk.pc.in ${PROJECT_BINARY_DIR}/selftalk.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/selftalk.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
