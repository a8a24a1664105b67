# hpaio_library(NAME [STATIC|INTERFACE] [SOURCES files...] [PUBLIC libs...] [PRIVATE libs...])
#
# The one library of a source folder. Its include root is a directory of its own in the build tree
# (include/NAME/) that holds only this folder, under its path from the source root: code includes
# "backend/http/http_client.hpp", and that include builds only in a target that links hpaio_http,
# directly or through the libraries it links. A folder links only the layers below it, so an
# upward include does not build (scripts/folder-graph.py checks the same from the sources).
function(hpaio_library name)
  cmake_parse_arguments(L "STATIC;INTERFACE" "" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
  file(RELATIVE_PATH folder ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
  set(root ${PROJECT_BINARY_DIR}/include/${name})
  get_filename_component(parent ${root}/${folder} DIRECTORY)
  file(MAKE_DIRECTORY ${parent})
  file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR} ${root}/${folder} SYMBOLIC)
  if(L_INTERFACE)
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE ${root})
    target_link_libraries(${name} INTERFACE ${L_PUBLIC})
  else()
    add_library(${name} STATIC ${L_SOURCES})
    target_include_directories(${name} PUBLIC ${root})
    target_link_libraries(${name} PUBLIC ${L_PUBLIC} PRIVATE ${L_PRIVATE})
  endif()
endfunction()
