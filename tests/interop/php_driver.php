<?php
// PHP SoapClient driver: calls any mktows operation, the client built from ENDPOINT?WSDL.
// Usage, answers and exit status: as driver_loop.py (one call from the arguments, or one per stdin line).
// Requests are PHP arrays as Marketo's PHP samples pass them (a list = repeated elements, null = xsi:nil);
// an object with "xsi:type" becomes a SoapVar of that type. Signature and headers as
// ../shared/clients/php-soapclient (America/Los_Angeles DATE_W3C timestamp, hash_hmac sha1, SoapHeader).
// SOAP_SINGLE_ELEMENT_ARRAYS only shapes the answer: a repeated element is a list even with one item.

const NS = "http://www.marketo.com/mktows/";

function request_value($value) {
    if (!is_array($value)) return $value;
    if (array_is_list($value) && $value !== []) return array_map('request_value', $value);
    $type = $value["xsi:type"] ?? null;
    unset($value["xsi:type"]);
    $members = array_map('request_value', $value);
    return $type === null ? $members : new SoapVar((object)$members, SOAP_ENC_OBJECT, $type, NS);
}

function signed_header($userId, $secretKey) {
    $timestamp = (new DateTime('now', new DateTimeZone("America/Los_Angeles")))->format(DATE_W3C);
    $auth = new stdClass();
    $auth->mktowsUserId = $userId;
    $auth->requestSignature = hash_hmac('sha1', $timestamp . $userId, $secretKey);
    $auth->requestTimestamp = $timestamp;
    return new SoapHeader(NS, 'AuthenticationHeader', $auth);
}

function call_operation(&$client, $endpoint, $userId, $secretKey, $operation, $params) {
    // cache_wsdl: never reuse a WSDL cached from an earlier run of the mock
    $options = ["location" => $endpoint, "trace" => true, "cache_wsdl" => WSDL_CACHE_NONE,
                "features" => SOAP_SINGLE_ELEMENT_ARRAYS, "connection_timeout" => 20];
    if ($client === null) $client = new SoapClient($endpoint . "?WSDL", $options);
    try {
        $result = $client->__soapCall($operation, [request_value($params)], $options,
                                      [signed_header($userId, $secretKey)]);
    } catch (SoapFault $f) {
        if (!$client->__getLastResponse()) return ["error" => "SoapFault without a response: " . $f->getMessage()];
        $code = $f->detail->serviceException->code ?? explode(" - ", $f->faultstring)[0];
        return ["ok" => false, "fault_code" => (string)$code, "fault_string" => $f->faultstring, "response" => null];
    }
    return ["ok" => true, "fault_code" => null, "fault_string" => null, "response" => $result];
}

function answer($operation, $outcome) {
    return json_encode(array_merge(["client" => "php-soapclient", "operation" => $operation], $outcome),
                       JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION) . "\n";
}

function one_call(&$client, $args, $operation, $params) {
    try {
        $outcome = call_operation($client, $args[0], $args[1], $args[2], $operation, $params);
    } catch (Throwable $e) {
        fwrite(fopen("php://stderr", "w"), "php-soapclient: $e\n");
        $outcome = ["error" => get_class($e) . ": " . $e->getMessage()];
    }
    echo answer($operation, $outcome);
    return isset($outcome["error"]) ? 2 : ($outcome["ok"] ? 0 : 3);
}

$args = array_slice($argv, 1);
if (count($args) !== 3 && count($args) !== 5) {
    fwrite(fopen("php://stderr", "w"), "usage: php_driver.php ENDPOINT USER_ID SECRET_KEY [OPERATION PARAMS_JSON]\n");
    exit(2);
}
$client = null;
if (count($args) === 5) exit(one_call($client, $args, $args[3], json_decode($args[4], true)));
while (($line = fgets(STDIN)) !== false) {
    if (trim($line) === "") continue;
    $request = json_decode($line, true);
    one_call($client, $args, $request["operation"], $request["params"] ?? []);
}
