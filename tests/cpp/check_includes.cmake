# Fails when a library, binding or test source includes a file by absolute path:
# such an include builds only on the machine that has the file (a helper's
# timing header once reached main this way and broke every fresh clone).
file(GLOB_RECURSE sources
  ${SOURCE_DIR}/include/*.hpp ${SOURCE_DIR}/src/*.cpp ${SOURCE_DIR}/src/*.hpp
  ${SOURCE_DIR}/tools/*.cpp ${SOURCE_DIR}/tools/*.hpp
  ${SOURCE_DIR}/bindings/*.cpp ${SOURCE_DIR}/bindings/*.hpp
  ${SOURCE_DIR}/tests/cpp/*.cpp ${SOURCE_DIR}/tests/cpp/*.hpp ${SOURCE_DIR}/benchmarks/*.cpp)
set(offenders "")
foreach(source IN LISTS sources)
  file(STRINGS ${source} lines REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<](/|[A-Za-z]:)")
  foreach(line IN LISTS lines)
    list(APPEND offenders "${source}: ${line}")
  endforeach()
endforeach()
list(LENGTH sources count)
if(count EQUAL 0)
  message(FATAL_ERROR "no sources found under ${SOURCE_DIR}")
endif()
if(offenders)
  string(REPLACE ";" "\n" offenders "${offenders}")
  message(FATAL_ERROR "absolute include paths:\n${offenders}")
endif()
message(STATUS "${count} sources, no absolute include paths")
