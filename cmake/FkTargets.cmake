# fk_module(NAME SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# One static library per module, target fk_<name>, alias fk::<name>. Headers are included as
# "<module>/Header.h" from src/.
function(fk_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(fk_${name} STATIC ${ARG_SOURCES})
  add_library(fk::${name} ALIAS fk_${name})
  # Include paths per module: a module sees "<dir>/X.h" only for itself and the modules it links
  # (their include directories come with them), so reaching into an undeclared module fails at
  # compile time. Each module's directory under src/ is linked into an include root of its own.
  get_filename_component(dir ${CMAKE_CURRENT_SOURCE_DIR} NAME)
  set(root ${PROJECT_BINARY_DIR}/module-include/${name})
  file(MAKE_DIRECTORY ${root})
  file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR} ${root}/${dir} SYMBOLIC)
  target_include_directories(fk_${name} PUBLIC ${root})
  target_link_libraries(fk_${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE fk_warnings ${ARG_PRIVATE_DEPS})
endfunction()

# fk_test(NAME SOURCES ... DEPS ... [LABELS ...])
# One doctest executable per module; every TEST_CASE is registered with ctest on its own.
function(fk_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} fk_warnings fk_test_main)
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  # Tests find the repository's files (kiosk-config/, shaders/) and ../shared/ through these.
  target_compile_definitions(${name} PRIVATE FK_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
                                             FK_BUILD_DIR="${PROJECT_BINARY_DIR}")
  # A test whose input is missing exits 77 (tests/support/Skip.h): ctest says Skipped, not Passed.
  # A cross build's tests run under its emulator (qemu-user); so do the children they start
  # (tests/support/ChildProcess), which qemu-user cannot follow into exec by itself.
  set(env_property)
  if(CMAKE_CROSSCOMPILING_EMULATOR)
    list(JOIN CMAKE_CROSSCOMPILING_EMULATOR " " emulator)
    set(env_property ENVIRONMENT "FK_TEST_EMULATOR=${emulator}")
  endif()
  doctest_discover_tests(${name} PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT}
                                            SKIP_RETURN_CODE 77 ${env_property})
endfunction()
