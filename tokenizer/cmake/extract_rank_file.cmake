# Build-time step (cmake -P): unpack one shipped rank archive and refuse it unless the text has
# the SHA-256 that tiktoken checks for the official file, so a corrupt or edited archive fails
# the build here instead of producing wrong token ids later.
#   -DARCHIVE=<.tiktoken.tar.xz> -DMEMBER=<name inside> -DOUTPUT=<file> -DEXPECTED_SHA256=<hex>
foreach(var ARCHIVE MEMBER OUTPUT EXPECTED_SHA256)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "extract_rank_file.cmake: -D${var}=... is required")
  endif()
endforeach()

set(scratch "${OUTPUT}.unpack")
file(REMOVE_RECURSE "${scratch}")
file(REMOVE "${OUTPUT}")
file(ARCHIVE_EXTRACT INPUT "${ARCHIVE}" DESTINATION "${scratch}")
if(NOT EXISTS "${scratch}/${MEMBER}")
  message(FATAL_ERROR "tokenizer: ${ARCHIVE} does not contain ${MEMBER}; "
                      "regenerate it with tokenizer/tools/make_rank_files.mjs")
endif()
file(SHA256 "${scratch}/${MEMBER}" actual)
if(NOT actual STREQUAL EXPECTED_SHA256)
  file(REMOVE_RECURSE "${scratch}")
  message(FATAL_ERROR "tokenizer: ${MEMBER} from ${ARCHIVE} has SHA-256 ${actual}, but the official "
                      "rank file has ${EXPECTED_SHA256}. The archive is corrupt or was edited; "
                      "regenerate it with tokenizer/tools/make_rank_files.mjs")
endif()
file(RENAME "${scratch}/${MEMBER}" "${OUTPUT}")
file(REMOVE_RECURSE "${scratch}")
