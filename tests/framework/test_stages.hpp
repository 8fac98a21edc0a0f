#pragma once

#include "ajuste/stage.hpp"

// In-process stages for framework tests: registered with StageRegistry::addInProcess, so a
// test runs real pipelines without building plugin libraries.
namespace ajuste::test_stages {

// test/numbers: a source of `count` records {"n": i}; every `bad_every`-th input (if > 0) is
// rejected at decode as "not a number". Parallel decode. With `as_text`, the records are held
// as text only: `{ "n" : i }`.
const StageInfo& numbers();
// test/expect_text: reads and keeps text; fails on a record not held as text only.
const StageInfo& expectText();
// test/peek_values: serial, needs values, keeps text; fails on a record without its value.
const StageInfo& peekValues();
// test/text_write: sink reading text; writes "text <text>" or "value <compact JSON>" lines.
const StageInfo& textWrite();
// test/reject_multiples: rejects records whose n is a multiple of `of` (kind "multiple").
const StageInfo& rejectMultiples();
// test/square: parallel; adds {"square": n*n}.
const StageInfo& square();
// test/running_total: serial and stateful; adds {"total": running sum of n}, and emits one
// extra record {"n": -1, "total": sum} from finish().
const StageInfo& runningTotal();
// test/fail_at: returns an I/O error when it sees n == `at`.
const StageInfo& failAt();
// test/throw_at: throws std::runtime_error when it sees n == `at`.
const StageInfo& throwAt();
// test/write: sink writing compact JSON lines to `path` (inside the run folder).
const StageInfo& write();
// test/prepared_triple: serial, prepares; prepare rejects multiples of 11 (kind "eleven") and
// puts n*3 in Record::prepared, process adds {"triple": n*3} and fails on a record that was not
// prepared or comes out of order.
const StageInfo& preparedTriple();
// test/prepared_write: as test/write, but serializes in prepare; both fail when they find
// another stage's prepared bytes or an unprepared record.
const StageInfo& preparedWrite();
// test/announce: artifact stage publishing {"message": `message`} as artifact "announcement".
const StageInfo& announce();
// test/needs_announcement: artifact stage that consumes "announcement".
const StageInfo& needsAnnouncement();

}  // namespace ajuste::test_stages
