#include "routes.hpp"

#include <functional>
#include <regex>
#include <vector>

#include "api_error.hpp"

namespace ajuste::emulator {
namespace {

using nlohmann::json;

json parseJsonBody(const Call& call) {
  const std::string& raw = call.body->raw;
  if (raw.empty()) return json::object();
  try {
    return json::parse(raw);
  } catch (const json::parse_error&) {
    throw badRequest(
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library "
        "correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)");
  }
}

// Azure's dated API answers creates with 201 and a Location; OpenAI and Azure v1 with 200.
Reply created(const Call& call, const json& object, const std::string& collection) {
  Reply reply = jsonReply(object);
  if (call.dialect == Dialect::kAzure) {
    reply.status = 201;
    reply.headers["Location"] =
        "/openai/" + collection + "/" + object.value("id", "") + "?api-version=" + call.api_version;
  }
  return reply;
}

using Handler = std::function<Reply(World&, const Call&, const std::smatch&)>;

struct Route {
  std::string method;
  std::regex pattern;
  Handler handler;
};

const std::vector<Route>& routes() {
  static const std::vector<Route> kRoutes = {
      {"GET", std::regex("/files"), [](World& w, const Call& c, const std::smatch&) {
         return jsonReply(w.listFiles(c.dialect, *c.query));
       }},
      {"POST", std::regex("/files"), [](World& w, const Call& c, const std::smatch&) {
         const FormPart* file = c.body->part("file");
         const FormPart* purpose = c.body->part("purpose");
         if (!c.body->multipart || file == nullptr)
           throw badRequest("Missing required parameter: 'file'.", "file", "missing_required_parameter");
         if (purpose == nullptr)
           throw badRequest("Missing required parameter: 'purpose'.", "purpose", "missing_required_parameter");
         const std::string filename = file->filename.empty() ? "upload" : file->filename;
         return created(c, w.createFile(c.dialect, filename, purpose->content, file->content), "files");
       }},
      {"GET", std::regex("/files/([^/]+)"), [](World& w, const Call& c, const std::smatch& m) {
         return jsonReply(w.getFile(c.dialect, m[1]));
       }},
      {"DELETE", std::regex("/files/([^/]+)"), [](World& w, const Call& c, const std::smatch& m) {
         return jsonReply(w.deleteFile(c.dialect, m[1]));
       }},
      {"GET", std::regex("/files/([^/]+)/content"), [](World& w, const Call&, const std::smatch& m) {
         Reply reply;
         reply.body = w.fileContent(m[1]);
         reply.content_type = "application/octet-stream";
         return reply;
       }},
      {"POST", std::regex("/uploads"), [](World& w, const Call& c, const std::smatch&) {
         return jsonReply(w.createUpload(c.dialect, parseJsonBody(c)));
       }},
      {"POST", std::regex("/uploads/([^/]+)/parts"), [](World& w, const Call& c, const std::smatch& m) {
         const FormPart* data = c.body->part("data");
         if (!c.body->multipart || data == nullptr)
           throw badRequest("Missing required parameter: 'data'.", "data", "missing_required_parameter");
         return jsonReply(w.addUploadPart(c.dialect, m[1], data->content));
       }},
      {"POST", std::regex("/uploads/([^/]+)/complete"), [](World& w, const Call& c, const std::smatch& m) {
         return jsonReply(w.completeUpload(c.dialect, m[1], parseJsonBody(c)));
       }},
      {"POST", std::regex("/uploads/([^/]+)/cancel"), [](World& w, const Call& c, const std::smatch& m) {
         return jsonReply(w.cancelUpload(c.dialect, m[1]));
       }},
      {"GET", std::regex("/fine_tuning/jobs"), [](World& w, const Call& c, const std::smatch&) {
         return jsonReply(w.listJobs(c.dialect, *c.query));
       }},
      {"POST", std::regex("/fine_tuning/jobs"), [](World& w, const Call& c, const std::smatch&) {
         return created(c, w.createJob(c.dialect, parseJsonBody(c), c.job_failure), "fine_tuning/jobs");
       }},
      {"GET", std::regex("/fine_tuning/jobs/([^/]+)"), [](World& w, const Call& c, const std::smatch& m) {
         return jsonReply(w.getJob(c.dialect, m[1]));
       }},
      {"DELETE", std::regex("/fine_tuning/jobs/([^/]+)"), [](World& w, const Call& c, const std::smatch& m) {
         if (c.dialect != Dialect::kAzure)
           throw ApiError(404, "Invalid URL (" + c.method + " " + c.full_path + ")");
         w.deleteJob(m[1]);
         Reply reply;
         reply.status = 204;
         reply.content_type.clear();
         return reply;
       }},
      {"POST", std::regex("/fine_tuning/jobs/([^/]+)/cancel"), [](World& w, const Call& c, const std::smatch& m) {
         return jsonReply(w.cancelJob(c.dialect, m[1]));
       }},
      {"GET", std::regex("/fine_tuning/jobs/([^/]+)/events"), [](World& w, const Call& c, const std::smatch& m) {
         return jsonReply(w.listEvents(c.dialect, m[1], *c.query));
       }},
      {"GET", std::regex("/fine_tuning/jobs/([^/]+)/checkpoints"), [](World& w, const Call& c, const std::smatch& m) {
         return jsonReply(w.listCheckpoints(c.dialect, m[1], *c.query));
       }},
      {"GET", std::regex("/models"), [](World& w, const Call& c, const std::smatch&) {
         return jsonReply(w.listModels(c.dialect));
       }},
      {"GET", std::regex("/models/([^/]+)"), [](World& w, const Call& c, const std::smatch& m) {
         return jsonReply(w.getModel(c.dialect, m[1]));
       }},
      {"POST", std::regex("/chat/completions"), [](World& w, const Call& c, const std::smatch&) {
         return jsonReply(w.chatCompletion(c.dialect, parseJsonBody(c), ""));
       }},
      // Azure's dated API names the model by deployment in the path.
      {"POST", std::regex("/deployments/([^/]+)/chat/completions"), [](World& w, const Call& c, const std::smatch& m) {
         if (c.dialect != Dialect::kAzure) throw ApiError(404, "Invalid URL (" + c.method + " " + c.full_path + ")");
         return jsonReply(w.chatCompletion(c.dialect, parseJsonBody(c), m[1]));
       }},
  };
  return kRoutes;
}

double secondsParam(const Query& query) {
  const auto found = query.find("seconds");
  if (found == query.end()) throw badRequest("Missing query parameter 'seconds'.", "seconds");
  try {
    std::size_t used = 0;
    const double seconds = std::stod(found->second, &used);
    if (used == found->second.size() && seconds >= 0) return seconds;
  } catch (const std::exception&) {
  }
  throw badRequest("Invalid 'seconds': expected a non-negative number, got '" + found->second + "'.", "seconds");
}

}  // namespace

Reply jsonReply(const json& body, int status) {
  Reply reply;
  reply.status = status;
  reply.body = body.dump();
  return reply;
}

Reply routeApi(World& world, const Call& call) {
  for (const auto& route : routes()) {
    std::smatch match;
    if (route.method == call.method && std::regex_match(call.path, match, route.pattern))
      return route.handler(world, call, match);
  }
  throw ApiError(404, "Invalid URL (" + call.method + " " + call.full_path + ")");
}

Reply routeControl(World& world, FaultInjector& faults, const std::string& method, const std::string& path,
                   const Query& query, const RequestBody& body) {
  if (method == "GET" && path == "/health") {
    json health = {{"status", "ok"}, {"name", "ajuste-emulator"}, {"simulated", true}};
    health.update(world.clockInfo());
    return jsonReply(health);
  }
  if (method == "GET" && path == "/counters") return jsonReply(world.counters());
  if (method == "GET" && path == "/chat-requests") return jsonReply(world.chatRequests());
  if (method == "POST" && path == "/reset") {
    world.reset();
    faults.resetCounts();
    return jsonReply({{"reset", true}});
  }
  if (method == "POST" && path == "/advance") {
    world.advance(secondsParam(query));
    return jsonReply(world.clockInfo());
  }
  if (method == "GET" && path == "/faults") return jsonReply({{"faults", faults.describe()}});
  if (method == "POST" && path == "/faults") {
    try {
      faults.replace(parseFaultList(json::parse(body.raw)));
    } catch (const json::parse_error& e) {
      throw badRequest(std::string("fault list is not valid JSON: ") + e.what());
    } catch (const std::invalid_argument& e) {
      throw badRequest(e.what());
    }
    return jsonReply({{"faults", faults.describe()}});
  }
  throw ApiError(404, "Invalid URL (" + method + " /_emulator" + path + ")");
}

}  // namespace ajuste::emulator
