/*
id: azure.nsg_open_to_internet
version: 1
title: Network security group rule allowing inbound traffic from the Internet
pack: privileged
families:
- azure
severity: high
category: NE
detects: Network security group rules written (Microsoft.Network/networkSecurityGroups/securityRules/write, or a whole
  group written with its rules by networkSecurityGroups/write) whose request or response body holds an inbound Allow rule
  from any source ("*", "Internet", "Any", 0.0.0.0/0, ::/0), with the rule name, ports and protocol. Failed writes are
  left out; the Start and the Succeeded record of one write may both carry the body (same correlation_id).
why: An inbound Allow from the Internet exposes the ports it names (RDP, SSH, databases) to anyone; CIS Azure 6.1-6.4
  expect none for management ports, and every such change is a change to the network boundary (PCI 10.2.1.7, 1.3).
controls:
  iso27001:
  - A.8.15
  - A.8.20
  soc2:
  - CC6.6
  - CC7.2
  pci:
  - 10.2.1.7
  nist:
  - SC-7
  - AU-12
params: []
false_positives:
- Public web front ends that must accept 80/443 from the Internet (check destination_ports).
columns:
- event_id
- time
- actor_user
- actor_type
- src_ip
- cloud_account
- activity
- target
- status
- rule_name
- source_prefixes
- destination_ports
- protocol
- priority
- correlation_id
references:
- ../shared/docs/controls.md §2.4
- Sigma azure_network_security_modified_or_deleted (wider)
- CIS Microsoft Azure Foundations Benchmark 6.1-6.4
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status,
  r->>'$.name' AS rule_name,
  coalesce(r->>'$.properties.sourceAddressPrefix', CAST(json_extract(r, '$.properties.sourceAddressPrefixes') AS VARCHAR)) AS source_prefixes,
  coalesce(r->>'$.properties.destinationPortRange', CAST(json_extract(r, '$.properties.destinationPortRanges') AS VARCHAR)) AS destination_ports,
  r->>'$.properties.protocol' AS protocol,
  r->>'$.properties.priority' AS priority,
  correlation_id
FROM (
  SELECT *, unnest(list_filter(rules, x ->
      lower(x->>'$.properties.access') = 'allow'
      AND lower(x->>'$.properties.direction') = 'inbound'
      AND (lower(coalesce(x->>'$.properties.sourceAddressPrefix', '')) IN ('*', 'internet', 'any', '0.0.0.0/0', '::/0')
           OR list_has_any(list_transform(coalesce(json_extract_string(x, '$.properties.sourceAddressPrefixes[*]'), []), p -> lower(p)),
                           ['*', 'internet', 'any', '0.0.0.0/0', '::/0'])))) AS r
  FROM (
    SELECT *,
      CASE WHEN lower(activity) LIKE '%/securityrules/write'
        -- one rule: the body is the rule (its name from the body, else the last segment of the resource id)
        THEN [json_merge_patch(json_object('name', regexp_extract(target, '([^/]+)$', 1)), b)]
        ELSE json_extract(b, '$.properties.securityRules[*]') END AS rules
    FROM (
      SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status, record_id,
        CASE WHEN fields IS NULL THEN coalesce(ewb_json(raw)->>'$.correlationId', ewb_json(raw)->>'$.CorrelationId', ewb_json(raw)->>'$.correlation_id') END AS correlation_id,
        -- the request (Start record) or response (Succeeded record) body, from the diagnostic, REST and Log Analytics shapes
        -- (CSV exports carry no body)
        CASE WHEN fields IS NULL THEN try_cast(coalesce(ewb_json(raw)->>'$.properties.requestbody', ewb_json(raw)->>'$.properties.requestBody', ewb_json(raw)->>'$.properties.responseBody',
                          ewb_json(raw)->>'$.properties.responsebody', ewb_json(raw)->>'$.Properties.requestbody', ewb_json(raw)->>'$.Properties.responseBody',
                          ewb_json(raw)->>'$.Properties_d.requestbody', ewb_json(raw)->>'$.Properties_d.responseBody',
                          (ewb_json(raw)->>'$.Properties')->>'$.requestbody', (ewb_json(raw)->>'$.Properties')->>'$.responseBody') AS JSON) END AS b
      FROM events
      WHERE source_family = 'azure'
        AND time >= $period_start AND time < $period_end
        AND (lower(activity) IN ('microsoft.network/networksecuritygroups/securityrules/write', 'microsoft.network/networksecuritygroups/write')
             AND coalesce(status, 'started') <> 'failure')
    ) w
  ) x
) e
ORDER BY time, event_id, rule_name
