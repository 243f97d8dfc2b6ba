# The include rules of docs/architecture.md, checked on the sources as text:
#   cmake -DSOURCE_DIR=<repository> -P tests/layering.cmake
# Prints every include that breaks a rule (file:line) and fails when there is one.
#
# - core/ never includes Qt, nor a header of ui/ or app/;
# - inside core/, a folder includes only folders on a lower floor (util at the bottom), so no
#   include runs back up; a folder not listed here is not checked yet: give it a floor;
# - ui/ never decodes packets: no capture/ decoder, parser, flow table or packet header;
# - app/cli (bulkhead-cli) links the core only: no Qt, no ui/.

set(floor_util 0)
set(floor_l7 1)
set(floor_inventory 2)
set(floor_capture 2)
set(floor_layout 2)
set(floor_hubble 3)
set(floor_zones 3)
set(floor_analysis 4)
set(floor_model 5)
set(floor_design 5)
set(floor_policy 5)
set(floor_review 6)
set(floor_report 6)
set(floor_graph 6)
set(floor_project 6)
set(floor_render 7)

set(ui_headers "mainwindow\\.h|document\\.h|(views|docks|models|commands|dialogs)/")
set(decoding "capture/(decoder|packetinfo|flowtable|dnsparser|tlsparser|rawflow)\\.h")

if(NOT SOURCE_DIR)
    message(FATAL_ERROR "usage: cmake -DSOURCE_DIR=<repository> -P layering.cmake")
endif()

set(problems "")
set(checked 0)

# includes(<file> <out-var>): "line|target" for each #include line of the file.
function(includes file out)
    file(STRINGS "${file}" lines)
    set(result "")
    set(n 0)
    foreach(line IN LISTS lines)
        math(EXPR n "${n} + 1")
        if(line MATCHES "^[ \t]*#[ \t]*include[ \t]*[<\"]([^>\"]+)[>\"]")
            list(APPEND result "${n}|${CMAKE_MATCH_1}")
        endif()
    endforeach()
    set(${out} "${result}" PARENT_SCOPE)
endfunction()

file(GLOB_RECURSE files "${SOURCE_DIR}/core/*.h" "${SOURCE_DIR}/core/*.cpp" "${SOURCE_DIR}/ui/*.h"
     "${SOURCE_DIR}/ui/*.cpp" "${SOURCE_DIR}/app/cli/*.h" "${SOURCE_DIR}/app/cli/*.cpp")
foreach(file IN LISTS files)
    math(EXPR checked "${checked} + 1")
    file(RELATIVE_PATH rel "${SOURCE_DIR}" "${file}")
    string(REGEX REPLACE "^(core|ui|app/cli)/.*" "\\1" area "${rel}")
    string(REGEX REPLACE "^core/([^/]+)/.*" "\\1" folder "${rel}")
    includes("${file}" found)
    foreach(entry IN LISTS found)
        string(REGEX REPLACE "^([0-9]+)\\|.*" "\\1" line "${entry}")
        string(REGEX REPLACE "^[0-9]+\\|" "" target "${entry}")
        set(qt FALSE)
        if(target MATCHES "^Q[A-Za-z]*$|^Qt[A-Za-z]*/|^q[a-z]+\\.h$")
            set(qt TRUE)
        endif()
        if(area STREQUAL "core")
            if(qt)
                string(APPEND problems "${rel}:${line}: core includes Qt (${target})\n")
            elseif(target MATCHES "^(${ui_headers})|^(cli|gui)/")
                string(APPEND problems "${rel}:${line}: core includes the GUI or a program (${target})\n")
            elseif(target MATCHES "^([a-z0-9]+)/")
                set(to "${CMAKE_MATCH_1}")
                if(DEFINED floor_${to} AND DEFINED floor_${folder} AND NOT to STREQUAL folder
                   AND NOT floor_${to} LESS floor_${folder})
                    string(APPEND problems "${rel}:${line}: core/${folder} (floor ${floor_${folder}}) includes "
                           "core/${to} (floor ${floor_${to}}): only lower floors may be included\n")
                endif()
            endif()
        elseif(area STREQUAL "ui")
            if(target MATCHES "^${decoding}$")
                string(APPEND problems "${rel}:${line}: ui/ includes a packet decoder (${target}); ui never decodes packets\n")
            elseif(target MATCHES "^(cli|gui)/")
                string(APPEND problems "${rel}:${line}: ui/ includes a program's source (${target})\n")
            endif()
        else() # app/cli
            if(qt)
                string(APPEND problems "${rel}:${line}: bulkhead-cli includes Qt (${target})\n")
            elseif(target MATCHES "^(${ui_headers})")
                string(APPEND problems "${rel}:${line}: bulkhead-cli includes the GUI (${target})\n")
            endif()
        endif()
    endforeach()
endforeach()

if(problems)
    message(FATAL_ERROR "layering: includes against docs/architecture.md:\n${problems}")
endif()
message(STATUS "layering: ${checked} files follow docs/architecture.md")
