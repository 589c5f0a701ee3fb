#include "vivace/openapi/openapi.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include <boost/json/serialize.hpp>

#include "vivace/core/errors.hpp"
#include "vivace/core/log.hpp"
#include "vivace/schema/registry.hpp"
#include "vivace/version.hpp"

namespace vivace::openapi {

namespace json = boost::json;

namespace {

std::string lower(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// `/files/{name:path}` → `/files/{name}` (OpenAPI has no converters).
std::string openapi_path(const std::string& path) {
  std::string out;
  out.reserve(path.size());
  bool in_param = false, in_converter = false;
  for (char c : path) {
    if (c == '{') {
      in_param = true;
    } else if (c == '}') {
      in_param = in_converter = false;
    } else if (c == ':' && in_param) {
      in_converter = true;
      continue;
    }
    if (!in_converter)
      out += c;
  }
  return out;
}

const char* where(ParamIn in) {
  switch (in) {
    case ParamIn::path:
      return "path";
    case ParamIn::query:
      return "query";
    case ParamIn::header:
      return "header";
    case ParamIn::cookie:
      return "cookie";
  }
  return "query";
}

// "read_item" → "Read Item" (FastAPI's default summary).
std::string title_of(const std::string& name) {
  std::string out;
  bool start = true;
  for (char c : name) {
    if (c == '_') {
      out += ' ';
      start = true;
      continue;
    }
    out += start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    start = false;
  }
  return out;
}

void deep_merge(json::object& into, const json::object& from) {
  for (const auto& kv : from) {
    auto* existing = into.if_contains(kv.key());
    if (existing && existing->is_object() && kv.value().is_object())
      deep_merge(existing->as_object(), kv.value().as_object());
    else
      into[kv.key()] = kv.value();
  }
}

json::object validation_error_schemas() {
  // Exactly as FastAPI emits them.
  json::object validation_error{
      {"properties",
       {{"loc",
         {{"items", {{"anyOf", json::array{{{"type", "string"}}, {{"type", "integer"}}}}}},
          {"type", "array"},
          {"title", "Location"}}},
        {"msg", {{"type", "string"}, {"title", "Message"}}},
        {"type", {{"type", "string"}, {"title", "Error Type"}}}}},
      {"type", "object"},
      {"required", json::array{"loc", "msg", "type"}},
      {"title", "ValidationError"}};
  json::object http_validation_error{
      {"properties",
       {{"detail",
         {{"items", {{"$ref", "#/components/schemas/ValidationError"}}},
          {"type", "array"},
          {"title", "Detail"}}}}},
      {"type", "object"},
      {"title", "HTTPValidationError"}};
  return {{"HTTPValidationError", std::move(http_validation_error)},
          {"ValidationError", std::move(validation_error)}};
}

json::object parameter(const ParamInfo& p, const RouteOptions& o) {
  json::object schema = p.schema.is_object() ? p.schema.as_object() : json::object{};
  if (p.default_)
    schema["default"] = *p.default_;
  json::object out{{"name", p.name},
                   {"in", where(p.in)},
                   {"required", p.in == ParamIn::path ? true : p.required},
                   {"schema", std::move(schema)}};
  if (auto it = o.param_docs.find(p.name); it != o.param_docs.end()) {
    if (!it->second.description.empty())
      out["description"] = it->second.description;
    if (it->second.example)
      out["example"] = *it->second.example;
    if (it->second.deprecated)
      out["deprecated"] = true;
  }
  return out;
}

json::object request_body(const BodyInfo& b, schema::schema_registry& reg) {
  json::value schema = b.schema ? b.schema(reg) : json::value(json::object{});
  if (!b.files.empty()) {
    json::object props;
    json::array required;
    for (const auto& f : b.files) {
      json::value binary{{"type", "string"}, {"format", "binary"}};
      if (f.multiple)
        props[f.name] = {{"type", "array"}, {"items", binary}};
      else
        props[f.name] = binary;
      if (f.required)
        required.emplace_back(f.name);
    }
    json::object files{{"type", "object"}, {"properties", std::move(props)}};
    if (!required.empty())
      files["required"] = std::move(required);
    if (b.schema)
      schema = json::object{{"allOf", json::array{std::move(schema), std::move(files)}}};
    else
      schema = std::move(files);
  }
  return {{"content", {{b.media_type, {{"schema", std::move(schema)}}}}}, {"required", b.required}};
}

bool takes_input(const RouteInfo& r) {
  return !r.params.empty() || r.body.has_value();
}

json::object operation(const RouteInfo& r, const std::string& id, schema::schema_registry& reg,
                       bool& uses_validation_error) {
  const auto& o = r.options;
  json::object op;
  if (!o.tags.empty()) {
    json::array tags;
    for (const auto& t : o.tags)
      tags.emplace_back(t);
    op["tags"] = std::move(tags);
  }
  if (!o.summary.empty())
    op["summary"] = o.summary;
  else if (!o.name.empty())
    op["summary"] = title_of(o.name);
  if (!o.description.empty())
    op["description"] = o.description;
  op["operationId"] = id;
  if (!r.params.empty()) {
    json::array params;
    for (const auto& p : r.params)
      params.emplace_back(parameter(p, o));
    op["parameters"] = std::move(params);
  }
  if (r.body)
    op["requestBody"] = request_body(*r.body, reg);

  json::object responses;
  const int status = r.status();
  json::object ok{{"description", "Successful Response"}};
  if (status != 204 && status != 304 && !(status >= 100 && status < 200)) {
    std::string media = o.response_class.empty() ? "application/json" : o.response_class;
    if (!media.empty()) {
      json::value schema = json::object{};
      if (r.response_schema && media == "application/json")
        schema = r.response_schema(reg);
      else if (media.starts_with("text/"))
        schema = json::object{{"type", "string"}};
      ok["content"] = {{media, {{"schema", std::move(schema)}}}};
    }
  }
  responses[std::to_string(status)] = std::move(ok);
  for (const auto& [code, info] : o.responses) {
    json::object extra{{"description", info.description.empty() ? std::string{reason_phrase(code)}
                                                                : info.description}};
    if (info.model)
      extra["content"] = {{info.media_type, {{"schema", info.model(reg)}}}};
    responses[std::to_string(code)] = std::move(extra);
  }
  if (takes_input(r) && !responses.contains("422")) {
    uses_validation_error = true;
    responses["422"] = {{"description", "Validation Error"},
                        {"content",
                         {{"application/json",
                           {{"schema", {{"$ref", "#/components/schemas/HTTPValidationError"}}}}}}}};
  }
  op["responses"] = std::move(responses);
  if (o.deprecated)
    op["deprecated"] = true;
  if (!r.security.empty()) {
    json::array sec;
    // Optional credentials only: anonymous requests are served too ({} = no security).
    if (std::all_of(r.security.begin(), r.security.end(),
                    [](const SecurityRequirement& q) { return q.optional; }))
      sec.emplace_back(json::object{});
    for (const auto& req : r.security) {
      json::array scopes;
      for (const auto& s : req.scopes)
        scopes.emplace_back(s);
      sec.emplace_back(json::object{{req.scheme, std::move(scopes)}});
    }
    op["security"] = std::move(sec);
  }
  if (!o.openapi_extra.empty())
    deep_merge(op, o.openapi_extra);
  return op;
}

json::object sorted(const json::object& in) {
  std::vector<std::string_view> keys;
  for (const auto& kv : in)
    keys.push_back(kv.key());
  std::sort(keys.begin(), keys.end());
  json::object out;
  for (auto k : keys)
    out[k] = in.at(k);
  return out;
}

}  // namespace

std::string operation_id(const RouteInfo& route) {
  if (!route.options.operation_id.empty())
    return route.options.operation_id;
  std::string id = route.options.name + openapi_path(route.path);
  for (auto& c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
      c = '_';
  id += '_';  // (not "_" + string: GCC 12 -Wrestrict false positive at -O2)
  id += lower(route.method);
  if (route.options.name.empty())
    id.erase(0, id.find_first_not_of('_'));
  return id;
}

json::value document(const std::vector<Route>& routes, const DocumentInfo& info) {
  json::object doc;
  doc["openapi"] = "3.1.0";
  json::object inf{{"title", info.title}};
  if (!info.summary.empty())
    inf["summary"] = info.summary;
  if (!info.description.empty())
    inf["description"] = info.description;
  if (!info.terms_of_service.empty())
    inf["termsOfService"] = info.terms_of_service;
  if (info.contact) {
    json::object c;
    if (!info.contact->name.empty())
      c["name"] = info.contact->name;
    if (!info.contact->url.empty())
      c["url"] = info.contact->url;
    if (!info.contact->email.empty())
      c["email"] = info.contact->email;
    inf["contact"] = std::move(c);
  }
  if (info.license) {
    json::object l{{"name", info.license->name}};
    if (!info.license->identifier.empty())
      l["identifier"] = info.license->identifier;
    else if (!info.license->url.empty())
      l["url"] = info.license->url;
    inf["license"] = std::move(l);
  }
  inf["version"] = info.version;
  doc["info"] = std::move(inf);
  if (!info.servers.empty()) {
    json::array servers;
    for (const auto& s : info.servers) {
      json::object o{{"url", s.url}};
      if (!s.description.empty())
        o["description"] = s.description;
      servers.emplace_back(std::move(o));
    }
    doc["servers"] = std::move(servers);
  }

  schema::schema_registry reg("#/components/schemas/");
  json::object paths;
  json::object security_schemes;
  std::set<std::string> ids;
  bool uses_validation_error = false;
  for (const auto& route : routes) {
    const auto& r = route.info;
    if (!r.options.include_in_schema)
      continue;
    std::string id = operation_id(r);
    if (ids.count(id)) {
      int n = 2;
      while (ids.count(id + "_" + std::to_string(n)))
        ++n;
      log::warning("OpenAPI: duplicate operationId " + id + " (" + r.method + " " + r.path +
                   "); using " + id + "_" + std::to_string(n));
      id += '_';
      id += std::to_string(n);
    }
    ids.insert(id);
    auto& item = paths[openapi_path(r.path)];
    if (!item.is_object())
      item = json::object{};
    item.as_object()[lower(r.method)] = operation(r, id, reg, uses_validation_error);
    for (const auto& [name, scheme] : r.security_schemes)
      if (!security_schemes.contains(name))
        security_schemes[name] = scheme;
  }
  doc["paths"] = std::move(paths);

  json::object schemas = reg.schemas();
  if (uses_validation_error)
    for (auto& kv : validation_error_schemas())
      if (!schemas.contains(kv.key()))
        schemas[kv.key()] = kv.value();
  json::object components;
  if (!schemas.empty())
    components["schemas"] = sorted(schemas);
  if (!security_schemes.empty())
    components["securitySchemes"] = sorted(security_schemes);
  if (!components.empty())
    doc["components"] = std::move(components);
  if (!info.tags.empty()) {
    json::array tags;
    for (const auto& t : info.tags) {
      json::object o{{"name", t.name}};
      if (!t.description.empty())
        o["description"] = t.description;
      tags.emplace_back(std::move(o));
    }
    doc["tags"] = std::move(tags);
  }
  // Which program wrote the document (a specification extension; the version has one source,
  // CMakeLists.txt's project() call).
  doc["x-generator"] = "Vivace " VIVACE_VERSION_STRING;
  return doc;
}

namespace {
void pretty_into(std::string& out, const json::value& v, int indent) {
  auto pad = [&](int n) { out.append(static_cast<std::size_t>(n) * 2, ' '); };
  if (const auto* o = v.if_object()) {
    if (o->empty()) {
      out += "{}";
      return;
    }
    out += "{\n";
    bool first = true;
    for (const auto& kv : *o) {
      if (!first)
        out += ",\n";
      first = false;
      pad(indent + 1);
      out += json::serialize(json::value(kv.key()));
      out += ": ";
      pretty_into(out, kv.value(), indent + 1);
    }
    out += "\n";
    pad(indent);
    out += "}";
  } else if (const auto* a = v.if_array()) {
    if (a->empty()) {
      out += "[]";
      return;
    }
    out += "[\n";
    bool first = true;
    for (const auto& e : *a) {
      if (!first)
        out += ",\n";
      first = false;
      pad(indent + 1);
      pretty_into(out, e, indent + 1);
    }
    out += "\n";
    pad(indent);
    out += "]";
  } else {
    out += json::serialize(v);
  }
}
}  // namespace

std::string pretty(const json::value& v) {
  std::string out;
  pretty_into(out, v, 0);
  out += "\n";
  return out;
}

}  // namespace vivace::openapi
