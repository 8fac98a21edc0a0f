// `ajuste-report SUMMARY.json OUT.html`: renders a run's summary.json into the HTML report, the
// page the runner writes as report.html. Built by tests/framework/CMakeLists.txt so the browser
// check (scripts/check-report.sh) can render a fixture summary without running a pipeline.
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "report/html_report.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: ajuste-report SUMMARY.json OUT.html\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::cerr << argv[1] << ": cannot open the summary\n";
    return 1;
  }
  const nlohmann::json summary = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (summary.is_discarded()) {
    std::cerr << argv[1] << ": not valid JSON\n";
    return 1;
  }
  if (const ajuste::Status written = ajuste::writeHtmlReport(summary, argv[2]); !written.isOk()) {
    std::cerr << written.message() << "\n";
    return 1;
  }
  return 0;
}
