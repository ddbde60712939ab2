# Browser tests of the head-office dashboard (label web): node drives Debian's chromium through
# playwright-core (tests/web/package.json; scripts/test runs npm ci there). Included from
# tests/server/CMakeLists.txt. Exit code 77 = skipped (no playwright-core/chromium and
# FK_REQUIRE_WEB unset); scripts/test sets FK_REQUIRE_WEB=1.
find_program(FK_NODE node)

# web_NAME runs tests/web/NAME.test.mjs against the built kiosk-server; screenshots go to
# build/web-screenshots.
function(fk_web_test name timeout_s)
  if(NOT FK_NODE)
    return()
  endif()
  add_test(NAME web_${name}
           COMMAND ${FK_NODE} ${PROJECT_SOURCE_DIR}/tests/web/${name}.test.mjs
                   --server $<TARGET_FILE:kiosk-server> --out ${PROJECT_BINARY_DIR}/web-screenshots)
  set_tests_properties(web_${name} PROPERTIES LABELS web SKIP_RETURN_CODE 77 TIMEOUT ${timeout_s})
endfunction()

fk_web_test(dashboard 420)  # 300 s was near the edge on a loaded machine (about 270 s seen)
fk_web_test(calls 120)
fk_web_test(people 180)
fk_web_test(a11y 300)
fk_web_test(survey 180)
fk_web_test(notice 120)
