# cmake --install puts headers, the library, a CMake package (find_package(sgmm)
# -> sgmm::sgmm) and a pkg-config file under the prefix.
include(CMakePackageConfigHelpers)

install(TARGETS sgmm EXPORT sgmmTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/sgmm DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT sgmmTargets NAMESPACE sgmm:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/sgmm)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/sgmmConfig.cmake.in
  ${PROJECT_BINARY_DIR}/sgmmConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/sgmm)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/sgmmConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/sgmmConfig.cmake ${PROJECT_BINARY_DIR}/sgmmConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/sgmm)

# The .pc file finds its prefix from its own location, so it stays right
# under any --prefix given at install time.
file(RELATIVE_PATH SGMM_PC_TO_PREFIX "${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig" "${CMAKE_INSTALL_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/sgmm.pc.in ${PROJECT_BINARY_DIR}/sgmm.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/sgmm.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
