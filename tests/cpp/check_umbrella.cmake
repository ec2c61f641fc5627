# Every public header (include/staffcast/**.hpp outside detail/) is included by
# the umbrella header staffcast/staffcast.hpp, so `#include <staffcast/staffcast.hpp>`
# really is the whole API. Run with -DSOURCE_DIR=<project root>.
file(READ ${SOURCE_DIR}/include/staffcast/staffcast.hpp umbrella)
file(GLOB_RECURSE headers RELATIVE ${SOURCE_DIR}/include ${SOURCE_DIR}/include/staffcast/*.hpp)
set(missing "")
foreach(header IN LISTS headers)
  if(header MATCHES "^staffcast/detail/" OR header STREQUAL "staffcast/staffcast.hpp")
    continue()
  endif()
  string(FIND "${umbrella}" "#include <${header}>" at)
  if(at EQUAL -1)
    list(APPEND missing ${header})
  endif()
endforeach()
if(missing)
  message(FATAL_ERROR "staffcast/staffcast.hpp does not include: ${missing}")
endif()
