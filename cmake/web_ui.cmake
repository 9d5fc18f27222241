# The web UI (web/): web/build.mjs bundles web/src with esbuild from web/node_modules (which
# scripts/install-deps.sh installs with `npm ci`), then embed_web.cmake turns the bundle into
# web_assets.cpp, compiled into flowline_front. Any change under web/src, to build.mjs or to
# the lockfile bundles again. -DFLOWLINE_WEB_UI=OFF builds without Node.js: GET / is then a
# plain page linking the API.
option(FLOWLINE_WEB_UI "Bundle web/ with Node.js and embed it into flowline" ON)

set(web_assets_cpp ${CMAKE_CURRENT_BINARY_DIR}/web_assets.cpp)
if(NOT FLOWLINE_WEB_UI)
  file(WRITE ${web_assets_cpp}
    "// -DFLOWLINE_WEB_UI=OFF: no web UI embedded.\n"
    "#include \"front/http/web_assets.hpp\"\n"
    "namespace flowline::http {\n"
    "const std::vector<WebAsset>& embedded_web_assets() {\n"
    "  static const std::vector<WebAsset> none;\n  return none;\n}\n"
    "}  // namespace flowline::http\n")
  target_sources(flowline_front PRIVATE ${web_assets_cpp})
  return()
endif()

find_program(NODE_EXECUTABLE NAMES node nodejs)
if(NOT NODE_EXECUTABLE)
  message(FATAL_ERROR "Node.js not found: the web UI is bundled with it. Run "
                      "scripts/install-deps.sh (or configure with -DFLOWLINE_WEB_UI=OFF).")
endif()

set(web_dir ${PROJECT_SOURCE_DIR}/web)
set(web_out ${CMAKE_CURRENT_BINARY_DIR}/web)
file(GLOB_RECURSE web_sources CONFIGURE_DEPENDS ${web_dir}/src/*)
set(web_files)
foreach(name index.html app.js app.css)
  list(APPEND web_files ${web_out}/${name} ${web_out}/${name}.gz)
endforeach()
add_custom_command(
  OUTPUT ${web_files}
  COMMAND ${NODE_EXECUTABLE} ${web_dir}/build.mjs --out ${web_out}
  DEPENDS ${web_sources} ${web_dir}/build.mjs ${web_dir}/package-lock.json
  COMMENT "Bundling the web UI (web/build.mjs)"
  VERBATIM)
add_custom_command(
  OUTPUT ${web_assets_cpp}
  COMMAND ${CMAKE_COMMAND} -DDIST=${web_out} -DOUT=${web_assets_cpp}
          -P ${PROJECT_SOURCE_DIR}/cmake/embed_web.cmake
  DEPENDS ${web_files} ${PROJECT_SOURCE_DIR}/cmake/embed_web.cmake
  COMMENT "Embedding the web UI into flowline"
  VERBATIM)
target_sources(flowline_front PRIVATE ${web_assets_cpp})
