# Builds staffcast as a shared library (BUILD_SHARED_LIBS=ON), installs it and
# builds and runs the find_package example (examples/cpp) against that install.
# Only the library is built, without optimisation, to keep the test cheap.
# Run by ctest (shared_library_find_package) with SOURCE_DIR, BINARY_DIR,
# GENERATOR, EXAMPLE_REGISTER and EXAMPLE_DAY set.
set(build ${BINARY_DIR}/shared-build)
set(prefix ${BINARY_DIR}/shared-install)
set(example ${BINARY_DIR}/shared-example)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    list(JOIN ARGN " " command)
    message(FATAL_ERROR "failed (${result}): ${command}")
  endif()
endfunction()

run(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${build} -G ${GENERATOR} -DCMAKE_BUILD_TYPE=Debug
  -DBUILD_SHARED_LIBS=ON -DSTAFFCAST_BUILD_TESTS=OFF -DSTAFFCAST_BUILD_BENCHMARKS=OFF
  -DSTAFFCAST_BUILD_PYTHON=OFF -DSTAFFCAST_INSTALL=ON)
run(${CMAKE_COMMAND} --build ${build} --target staffcast)
run(${CMAKE_COMMAND} --install ${build} --prefix ${prefix})
file(GLOB shared_objects ${prefix}/lib*/libstaffcast.so* ${prefix}/lib*/libstaffcast*.dylib ${prefix}/bin/staffcast*.dll)
if(NOT shared_objects)
  message(FATAL_ERROR "no shared staffcast library installed under ${prefix}")
endif()
run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/cpp -B ${example} -G ${GENERATOR} -DCMAKE_BUILD_TYPE=Debug
  -DCMAKE_PREFIX_PATH=${prefix})
run(${CMAKE_COMMAND} --build ${example})
# The example links the installed shared library through its RUNPATH.
run(${example}/staffcast_example ${EXAMPLE_REGISTER} ${EXAMPLE_DAY})
