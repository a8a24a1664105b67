# hpaio_library(NAME SOURCES files... [PUBLIC libs...] [PRIVATE libs...])
#
# The one library of a source folder. Its include root is a directory of its own in the build tree
# (include/NAME/) that holds only this folder, under its path from the source root: code includes
# "backend/http/http_client.hpp", and that include builds only in a target that links hpaio_http,
# directly or through the libraries it links. A folder links only the layers below it, so an
# upward include does not build. (scripts/folder-graph.py prints the include graph and fails on a
# cycle.) A library folder has no library folders inside it: its include root would hold them too.
function(hpaio_library name)
  cmake_parse_arguments(L "" "" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
  file(GLOB inner ${CMAKE_CURRENT_SOURCE_DIR}/*/CMakeLists.txt)
  if(inner)
    message(FATAL_ERROR "${name}: a library folder holds other folders with their own CMakeLists.txt (${inner}); "
                        "its include root would let them be included without linking them")
  endif()
  file(RELATIVE_PATH folder ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
  set(root ${PROJECT_BINARY_DIR}/include/${name})
  # A link an older layout left where this one needs a directory (a parent folder that was a
  # library) is removed; only the link, never what it points to.
  string(REPLACE "/" ";" parts "${folder}")
  set(prefix "")
  foreach(part IN LISTS parts)
    string(APPEND prefix "${part}")
    if(NOT prefix STREQUAL folder AND IS_SYMLINK ${root}/${prefix})
      file(REMOVE ${root}/${prefix})
    endif()
    string(APPEND prefix "/")
  endforeach()
  get_filename_component(parent ${root}/${folder} DIRECTORY)
  file(MAKE_DIRECTORY ${parent})
  file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR} ${root}/${folder} SYMBOLIC)
  add_library(${name} STATIC ${L_SOURCES})
  target_include_directories(${name} PUBLIC ${root})
  target_link_libraries(${name} PUBLIC ${L_PUBLIC} PRIVATE ${L_PRIVATE})
endfunction()
