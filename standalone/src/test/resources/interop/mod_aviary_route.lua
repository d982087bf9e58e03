-- Test-only: static server-to-server routes for Prosody, which has none of its own (it always asks DNS).
--   aviary_routes = { ["aviary.test"] = "127.0.0.1:15269" }
-- A route serves its domain and the domain's subdomains (conference.aviary.test); XEP-0368 direct TLS is not tried.
local service = require "net.resolvers.service";
local basic = require "net.resolvers.basic";

local routes = module:get_option("aviary_routes", {});
local nothing = { next = function (_, cb) cb(nil); end };

local function route_of(hostname)
	local candidate = hostname;
	while candidate do
		if routes[candidate] then
			return routes[candidate];
		end
		candidate = candidate:match("^[^.]+%.(.+)$");
	end
end

-- mod_s2s looks service.new up on each new outgoing stream: replaced once per process, for every host.
if not service.aviary_original_new then
	service.aviary_original_new = service.new;
	service.new = function (hostname, name, conn_type, extra)
		local route = route_of(hostname);
		if not route then
			return service.aviary_original_new(hostname, name, conn_type, extra);
		end
		if name == "xmpps-server" then
			return nothing;
		end
		local host, port = route:match("^(.-):(%d+)$");
		return basic.new(host, tonumber(port), conn_type, extra);
	end
end
