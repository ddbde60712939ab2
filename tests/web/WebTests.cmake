# Browser tests of the head-office dashboard (label web): node drives Debian's chromium through
# playwright-core (tests/web/package.json; scripts/test runs npm ci there). Included from
# tests/server/CMakeLists.txt. Exit code 77 = skipped (no playwright-core/chromium and
# FK_REQUIRE_WEB unset); scripts/test sets FK_REQUIRE_WEB=1.
find_program(FK_NODE node)
if(FK_NODE)
  add_test(NAME web_dashboard
           COMMAND ${FK_NODE} ${PROJECT_SOURCE_DIR}/tests/web/dashboard.test.mjs
                   --server $<TARGET_FILE:kiosk-server> --out ${PROJECT_BINARY_DIR}/web-screenshots)
  set_tests_properties(web_dashboard PROPERTIES LABELS web SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()
if(FK_NODE)
  add_test(NAME web_calls
           COMMAND ${FK_NODE} ${PROJECT_SOURCE_DIR}/tests/web/calls.test.mjs
                   --server $<TARGET_FILE:kiosk-server> --out ${PROJECT_BINARY_DIR}/web-screenshots)
  set_tests_properties(web_calls PROPERTIES LABELS web SKIP_RETURN_CODE 77 TIMEOUT 120)
endif()
if(FK_NODE)
  add_test(NAME web_people
           COMMAND ${FK_NODE} ${PROJECT_SOURCE_DIR}/tests/web/people.test.mjs
                   --server $<TARGET_FILE:kiosk-server> --out ${PROJECT_BINARY_DIR}/web-screenshots)
  set_tests_properties(web_people PROPERTIES LABELS web SKIP_RETURN_CODE 77 TIMEOUT 180)
endif()
if(FK_NODE)
  add_test(NAME web_a11y
           COMMAND ${FK_NODE} ${PROJECT_SOURCE_DIR}/tests/web/a11y.test.mjs
                   --server $<TARGET_FILE:kiosk-server> --out ${PROJECT_BINARY_DIR}/web-screenshots)
  set_tests_properties(web_a11y PROPERTIES LABELS web SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()
if(FK_NODE)
  add_test(NAME web_survey
           COMMAND ${FK_NODE} ${PROJECT_SOURCE_DIR}/tests/web/survey.test.mjs
                   --server $<TARGET_FILE:kiosk-server> --out ${PROJECT_BINARY_DIR}/web-screenshots)
  set_tests_properties(web_survey PROPERTIES LABELS web SKIP_RETURN_CODE 77 TIMEOUT 180)
endif()
if(FK_NODE)
  add_test(NAME web_notice
           COMMAND ${FK_NODE} ${PROJECT_SOURCE_DIR}/tests/web/notice.test.mjs
                   --server $<TARGET_FILE:kiosk-server> --out ${PROJECT_BINARY_DIR}/web-screenshots)
  set_tests_properties(web_notice PROPERTIES LABELS web SKIP_RETURN_CODE 77 TIMEOUT 120)
endif()
