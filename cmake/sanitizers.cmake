# FLOWLINE_SANITIZE: OFF (default); ON or `address`: AddressSanitizer + UBSan (the test build,
# `make test`); `thread`: ThreadSanitizer (`make tsan`, build-tsan). TSan cannot be combined
# with ASan, so the two are separate builds. FLOWLINE_SANITIZER_FLAGS holds the flags chosen,
# for tests that compile against the build (tests/cmake/api.cmake).
set(FLOWLINE_SANITIZER_FLAGS "")
string(TOUPPER "${FLOWLINE_SANITIZE}" flowline_sanitize)
if(flowline_sanitize STREQUAL "THREAD")
  set(FLOWLINE_SANITIZER_FLAGS -fsanitize=thread -fno-omit-frame-pointer)
  add_compile_options(${FLOWLINE_SANITIZER_FLAGS})
  add_link_options(-fsanitize=thread)
elseif(flowline_sanitize MATCHES "^(ON|YES|TRUE|Y|1|ADDRESS)$")
  set(FLOWLINE_SANITIZER_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer)
  add_compile_options(${FLOWLINE_SANITIZER_FLAGS} -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
elseif(NOT flowline_sanitize MATCHES "^(OFF|NO|FALSE|N|0|)$")
  message(FATAL_ERROR "FLOWLINE_SANITIZE=${FLOWLINE_SANITIZE}: use OFF, ON (or address), thread")
endif()
