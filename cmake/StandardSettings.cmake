# Compiler settings shared by every moat target: moat_settings (language, sanitizers) and
# moat_warnings (warnings are errors).
find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_C_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()

add_library(moat_settings INTERFACE)
target_compile_features(moat_settings INTERFACE cxx_std_23)
target_include_directories(moat_settings INTERFACE ${PROJECT_SOURCE_DIR}/src ${PROJECT_BINARY_DIR}/generated)
target_compile_definitions(moat_settings INTERFACE MOAT_VERSION="${PROJECT_VERSION}")
# Only tests, benchmarks and fuzzers know where the checkout is (see the top-level CMakeLists):
# library objects carry no absolute path, so ccache shares them between checkouts.

if(MOAT_SANITIZE)
  target_compile_options(moat_settings INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                         -fno-sanitize-recover=undefined)
  target_link_options(moat_settings INTERFACE -fsanitize=address,undefined)
endif()

option(MOAT_WARNINGS_AS_ERRORS "Treat compiler warnings as errors" ON)
add_library(moat_warnings INTERFACE)
target_compile_options(moat_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
  -Wimplicit-fallthrough -Wcast-qual -Wformat=2 -Wmissing-declarations)
if(MOAT_WARNINGS_AS_ERRORS)
  target_compile_options(moat_warnings INTERFACE -Werror)
endif()
# GCC 12's -Wmaybe-uninitialized reports false positives inside libstdc++ (std::regex's
# std::function states) when the sanitizers' instrumentation changes what it can prove; the
# release build keeps the warning.
if(MOAT_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(moat_warnings INTERFACE -Wno-maybe-uninitialized)
endif()
