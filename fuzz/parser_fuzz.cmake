# The parser fuzzer compiles the Python front end and the source decoder directly: moat_base as a
# whole needs std::expected (moat_util), which clang-14 with libstdc++ 12 does not provide.
file(GLOB MOAT_FUZZ_PYTHON_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/moat/python/*.cpp)
target_sources(moat_${name} PRIVATE ${MOAT_FUZZ_PYTHON_SOURCES} ${PROJECT_SOURCE_DIR}/src/moat/base/source.cpp)
target_link_libraries(moat_${name} PRIVATE moat_settings)
