# `cmake --install` and the Debian packages (docs/embedding.md#installing):
#   pol          bin/pol
#   libpol0      lib/libpol.so.0 (the C API)
#   libpol-dev   the headers, libpol.so, libpol.a (the C++ API), pol.pc, the CMake package
#   python3-pol  the Python binding (lib/python3/dist-packages/pol), over libpol.so.0
include(CMakePackageConfigHelpers)

install(TARGETS pol RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT pol)
install(TARGETS pol_shared EXPORT polTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT libpol0 NAMELINK_COMPONENT libpol-dev)
install(TARGETS pol_core EXPORT polTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT libpol-dev)
install(FILES include/pol/pol.h include/pol/pol.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/pol COMPONENT libpol-dev)

# find_package(pol): pol::pol (the C++ API, static, with what it links) and pol::c (the C API).
set(POL_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/pol)
install(EXPORT polTargets NAMESPACE pol:: DESTINATION ${POL_CMAKE_DIR} COMPONENT libpol-dev)
configure_package_config_file(cmake/polConfig.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/polConfig.cmake
                              INSTALL_DESTINATION ${POL_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/polConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/polConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/polConfigVersion.cmake
        DESTINATION ${POL_CMAKE_DIR} COMPONENT libpol-dev)

# pkg-config: pol.pc, relocatable (its prefix is found from where the file lies, so any --prefix
# holds), and pol-uninstalled.pc for hosts built against this build tree (pkg-config prefers it
# when its folder is on PKG_CONFIG_PATH: the bindings' tests use it).
file(RELATIVE_PATH POL_PC_TO_PREFIX /usr/${CMAKE_INSTALL_LIBDIR}/pkgconfig /usr)
set(prefix "\${pcfiledir}/${POL_PC_TO_PREFIX}")
set(libdir "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
set(includedir "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
set(rpath "")
configure_file(cmake/pol.pc.in ${CMAKE_CURRENT_BINARY_DIR}/install/pol.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/install/pol.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT libpol-dev)
set(prefix ${CMAKE_CURRENT_SOURCE_DIR})
set(libdir ${CMAKE_CURRENT_BINARY_DIR})
set(includedir ${CMAKE_CURRENT_SOURCE_DIR}/include)
set(rpath "-Wl,-rpath,${CMAKE_CURRENT_BINARY_DIR} ")
configure_file(cmake/pol.pc.in ${CMAKE_CURRENT_BINARY_DIR}/pkgconfig/pol-uninstalled.pc @ONLY)

# The Python binding: the package, with where the library lies relative to it (any --prefix).
set(POL_PYTHON_DIR lib/python3/dist-packages)
file(RELATIVE_PATH POL_LIBRARY_FROM_PYTHON /usr/${POL_PYTHON_DIR}/pol /usr/${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY bindings/python/pol DESTINATION ${POL_PYTHON_DIR} COMPONENT python3-pol
        FILES_MATCHING PATTERN "*.py" PATTERN "__pycache__" EXCLUDE)
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/install/_installed.py
     "# Written by cmake --install: libpol.so.0's folder relative to this package.\nLIBRARY_DIR = \"${POL_LIBRARY_FROM_PYTHON}\"\n")
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/install/_installed.py DESTINATION ${POL_PYTHON_DIR}/pol COMPONENT python3-pol)

# ---- Debian packages: cpack -G DEB (docs/embedding.md#debian-packages) ----
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME pol)
set(CPACK_PACKAGE_VENDOR "pol")
set(CPACK_PACKAGE_CONTACT "pol maintainers <pol@example.invalid>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "policy engine for Kubernetes pods")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)   # dpkg-shlibdeps: the run-time libraries each binary links
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
set(CPACK_COMPONENTS_ALL pol libpol0 libpol-dev python3-pol)
set(CPACK_DEBIAN_POL_PACKAGE_NAME pol)
set(CPACK_DEBIAN_POL_PACKAGE_SECTION admin)
set(CPACK_COMPONENT_POL_DESCRIPTION "policy engine for Kubernetes pods: the pol command\n pol check, mutate, review, test and serve (the admission webhook).")
set(CPACK_DEBIAN_LIBPOL0_PACKAGE_NAME libpol0)
set(CPACK_DEBIAN_LIBPOL0_PACKAGE_SECTION libs)
set(CPACK_COMPONENT_LIBPOL0_DESCRIPTION "policy engine for Kubernetes pods: the shared library\n The C API of pol (pol.h) for hosts in any language.")
set(CPACK_DEBIAN_LIBPOL-DEV_PACKAGE_NAME libpol-dev)
set(CPACK_DEBIAN_LIBPOL-DEV_PACKAGE_SECTION libdevel)
set(CPACK_COMPONENT_LIBPOL-DEV_DEPENDS libpol0)
set(CPACK_COMPONENT_LIBPOL-DEV_DESCRIPTION "policy engine for Kubernetes pods: development files\n The C and C++ headers, the static C++ library, pkg-config and CMake files.")
# libpol.a's own dependencies, for hosts that link it (pol::pol): their development packages.
set(POL_DEV_DEPENDS "libfmt-dev, libsimdjson-dev, libyaml-dev, libre2-dev")
if(POL_HAVE_JIT)
  string(APPEND POL_DEV_DEPENDS ", llvm-19-dev, libzstd-dev, zlib1g-dev")
endif()
set(CPACK_DEBIAN_LIBPOL-DEV_PACKAGE_DEPENDS ${POL_DEV_DEPENDS})
set(CPACK_DEBIAN_PYTHON3-POL_PACKAGE_NAME python3-pol)
set(CPACK_DEBIAN_PYTHON3-POL_PACKAGE_SECTION python)
set(CPACK_DEBIAN_PYTHON3-POL_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_PYTHON3-POL_PACKAGE_DEPENDS "python3")
set(CPACK_COMPONENT_PYTHON3-POL_DEPENDS libpol0)
set(CPACK_COMPONENT_PYTHON3-POL_DESCRIPTION "policy engine for Kubernetes pods: Python binding\n compile, evaluate and review with libpol0 through ctypes.")
include(CPack)
