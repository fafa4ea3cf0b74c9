// JAX-WS driver: calls any mktows operation through stubs that wsimport generated from Marketo's own WSDL
// (com.marketo.mktows, built by ../shared/clients/java-jaxws with MKTO_STUBS_WSDL); the service is created
// from ENDPOINT?WSDL at run time, as in Marketo's Java sample.
// Usage, answers and exit status: as driver_loop.py (one call from the arguments, or one per stdin line).
// Requests are built by reflection over the generated JAXB classes: setters, ObjectFactory create* methods
// for JAXBElement-wrapped (nillable) members, the List getters for repeated elements, enums through
// fromValue, XMLGregorianCalendar for xs:dateTime; "xsi:type" instantiates that subclass. Signature as
// Marketo's Java sample (SimpleDateFormat, HMAC-SHA1, Hex.encodeHex).
import com.marketo.mktows.*;
import java.lang.reflect.*;
import java.net.URL;
import java.text.SimpleDateFormat;
import java.util.*;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.xml.bind.JAXBElement;
import javax.xml.bind.annotation.*;
import javax.xml.datatype.DatatypeFactory;
import javax.xml.datatype.XMLGregorianCalendar;
import javax.xml.namespace.QName;
import javax.xml.soap.SOAPFault;
import javax.xml.ws.soap.SOAPFaultException;
import org.apache.commons.codec.binary.Hex;
import org.w3c.dom.NodeList;

public class JaxwsDriver {
    static final String PACKAGE = "com.marketo.mktows.";
    static final ObjectFactory FACTORY = new ObjectFactory();

    // ---- requests: JSON -> JAXB objects ----

    /** The element name JAXB reads and writes for a field. */
    static String elementName(Field field) {
        XmlElement element = field.getAnnotation(XmlElement.class);
        if (element != null && !element.name().equals("##default")) return element.name();
        XmlElementRef ref = field.getAnnotation(XmlElementRef.class);
        if (ref != null) return ref.name();
        return field.getName();
    }

    /** Element name -> field of a JAXB class, its superclasses' members first (schema order). */
    static Map<String, Field> members(Class<?> type) {
        Map<String, Field> found = new LinkedHashMap<>();
        Class<?> base = type.getSuperclass();
        if (base != null && base != Object.class) found.putAll(members(base));
        XmlType xmlType = type.getAnnotation(XmlType.class);
        for (String name : xmlType == null ? new String[0] : xmlType.propOrder()) {
            if (name.isEmpty()) continue;
            try {
                Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                found.put(elementName(field), field);
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException(type.getSimpleName() + "." + name + " missing", e);
            }
        }
        return found;
    }

    static String capitalised(String name) { return Character.toUpperCase(name.charAt(0)) + name.substring(1); }

    static Class<?> rawClass(Type type) {
        if (type instanceof Class) return (Class<?>) type;
        if (type instanceof ParameterizedType) return (Class<?>) ((ParameterizedType) type).getRawType();
        throw new IllegalArgumentException("unsupported type " + type);
    }

    static Type typeArgument(Type type) { return ((ParameterizedType) type).getActualTypeArguments()[0]; }

    /** The ObjectFactory method that wraps element `name` of `owner` in a JAXBElement. */
    static Method elementFactory(Class<?> owner, String name) {
        for (Class<?> type = owner; type != null && type != Object.class; type = type.getSuperclass()) {
            for (Method method : ObjectFactory.class.getMethods()) {
                XmlElementDecl decl = method.getAnnotation(XmlElementDecl.class);
                if (decl != null && decl.scope() == type && decl.name().equals(name)) return method;
            }
        }
        throw new IllegalStateException("ObjectFactory has no create method for " + owner.getSimpleName() + "." + name);
    }

    @SuppressWarnings("unchecked")
    static Object build(Object json, Class<?> type) throws Exception {
        if (type == String.class || type == Object.class) return json instanceof String ? json : String.valueOf(json);
        if (type == Integer.class || type == int.class) return Integer.valueOf(json.toString());
        if (type == Long.class || type == long.class) return Long.valueOf(json.toString());
        if (type == Boolean.class || type == boolean.class) {
            return json instanceof Boolean ? json : Boolean.valueOf(json.toString());
        }
        if (type == java.math.BigInteger.class) return new java.math.BigInteger(json.toString());
        if (type == byte[].class) return Base64.getDecoder().decode(json.toString());
        if (type == XMLGregorianCalendar.class) {
            if (json.toString().isEmpty()) {
                throw new IllegalArgumentException("an xs:dateTime (XMLGregorianCalendar) cannot be empty");
            }
            return DatatypeFactory.newInstance().newXMLGregorianCalendar(json.toString());
        }
        if (type.isEnum()) return type.getMethod("fromValue", String.class).invoke(null, json.toString());
        if (!(json instanceof Map)) {
            throw new IllegalArgumentException(type.getSimpleName() + " needs an object, got " + json);
        }
        Map<String, Object> object = (Map<String, Object>) json;
        Class<?> concrete = type;
        if (object.containsKey("xsi:type")) {
            concrete = Class.forName(PACKAGE + object.get("xsi:type"));
            if (!type.isAssignableFrom(concrete)) throw new IllegalArgumentException(concrete + " is no " + type);
        }
        Object built = concrete.getDeclaredConstructor().newInstance();
        Map<String, Field> fields = members(concrete);
        for (Map.Entry<String, Object> entry : object.entrySet()) {
            if (entry.getKey().equals("xsi:type")) continue;
            Field field = fields.get(entry.getKey());
            if (field == null) {
                throw new IllegalArgumentException(concrete.getSimpleName() + " has no member " + entry.getKey()
                                                   + " in the stubs");
            }
            set(built, field, entry.getKey(), entry.getValue());
        }
        return built;
    }

    @SuppressWarnings("unchecked")
    static void set(Object owner, Field field, String name, Object json) throws Exception {
        Class<?> type = field.getType();
        Type generic = field.getGenericType();
        if (type == JAXBElement.class) {  // optional and nillable: null is xsi:nil
            Object value = json == null ? null : build(json, rawClass(typeArgument(generic)));
            setter(owner, field).invoke(owner, elementFactory(owner.getClass(), name).invoke(FACTORY, value));
        } else if (type == List.class) {  // repeated element: the generated getter gives the live list
            Method getter = owner.getClass().getMethod("get" + capitalised(field.getName()));
            List<Object> list = (List<Object>) getter.invoke(owner);
            Class<?> item = rawClass(typeArgument(generic));
            for (Object each : json instanceof List ? (List<Object>) json : List.of(json)) list.add(build(each, item));
        } else {
            setter(owner, field).invoke(owner, json == null ? null : build(json, type));
        }
    }

    static Method setter(Object owner, Field field) throws NoSuchMethodException {
        return owner.getClass().getMethod("set" + capitalised(field.getName()), field.getType());
    }

    // ---- answers: JAXB objects -> JSON (element names) ----

    static Object plain(Object value) throws Exception {
        if (value == null) return null;
        if (value instanceof JAXBElement) {
            JAXBElement<?> element = (JAXBElement<?>) value;
            return element.isNil() ? null : plain(element.getValue());
        }
        if (value instanceof List) {
            List<Object> items = new ArrayList<>();
            for (Object item : (List<?>) value) items.add(plain(item));
            return items;
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean) return value;
        if (value instanceof XMLGregorianCalendar) return ((XMLGregorianCalendar) value).toXMLFormat();
        if (value instanceof byte[]) return Base64.getEncoder().encodeToString((byte[]) value);
        if (value instanceof Enum) return value.getClass().getMethod("value").invoke(value);
        Map<String, Object> object = new LinkedHashMap<>();
        for (Map.Entry<String, Field> member : members(value.getClass()).entrySet()) {
            object.put(member.getKey(), plain(member.getValue().get(value)));
        }
        return object;
    }

    // ---- calls ----

    final String endpoint, userId, secretKey;
    MktowsPort port;

    JaxwsDriver(String endpoint, String userId, String secretKey) {
        this.endpoint = endpoint;
        this.userId = userId;
        this.secretKey = secretKey;
    }

    AuthenticationHeader signedHeader() throws Exception {
        // as in Marketo's Java sample
        String text = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ssZ").format(new Date());
        String requestTimestamp = text.substring(0, 22) + ":" + text.substring(22);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secretKey.getBytes(), "HmacSHA1"));
        String signature = new String(Hex.encodeHex(mac.doFinal((requestTimestamp + userId).getBytes())));
        AuthenticationHeader header = new AuthenticationHeader();
        header.setMktowsUserId(userId);
        header.setRequestTimestamp(requestTimestamp);
        header.setRequestSignature(signature);
        return header;
    }

    Map<String, Object> call(String operation, Object params) throws Exception {
        if (port == null) {
            // as in Marketo's Java sample: the port posts to the address the WSDL advertises
            QName serviceName = new QName("http://www.marketo.com/mktows/", "MktMktowsApiService");
            port = new MktMktowsApiService(new URL(endpoint + "?WSDL"), serviceName).getMktowsApiSoapPort();
        }
        Method method = null;
        for (Method candidate : MktowsPort.class.getMethods()) {
            if (candidate.getName().equals(operation)) method = candidate;
        }
        if (method == null) throw new IllegalArgumentException("the stubs have no operation " + operation);
        Class<?>[] types = method.getParameterTypes();
        Object[] arguments = new Object[types.length];  // MktowsContextHeader (syncLead only) stays null
        arguments[0] = build(params, types[0]);
        arguments[1] = signedHeader();
        Map<String, Object> outcome = new LinkedHashMap<>();
        try {
            Object result = method.invoke(port, arguments);
            outcome.put("ok", true);
            outcome.put("fault_code", null);
            outcome.put("fault_string", null);
            outcome.put("response", plain(result));
        } catch (InvocationTargetException e) {
            if (!(e.getCause() instanceof SOAPFaultException)) throw (Exception) e.getCause();
            SOAPFault fault = ((SOAPFaultException) e.getCause()).getFault();
            String code = fault.getFaultString().split(" - ")[0];
            if (fault.getDetail() != null) {
                NodeList codes = fault.getDetail().getElementsByTagName("code");
                if (codes.getLength() > 0) code = codes.item(0).getTextContent();
            }
            outcome.put("ok", false);
            outcome.put("fault_code", code);
            outcome.put("fault_string", fault.getFaultString());
            outcome.put("response", null);
        }
        return outcome;
    }

    int oneCall(String operation, Object params) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("client", "java-jaxws");
        answer.put("operation", operation);
        int status;
        try {
            Map<String, Object> outcome = call(operation, params);
            answer.putAll(outcome);
            status = Boolean.TRUE.equals(outcome.get("ok")) ? 0 : 3;
        } catch (Exception e) {
            e.printStackTrace();
            answer.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            status = 2;
        }
        System.out.println(Json.write(answer));
        System.out.flush();
        return status;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3 && args.length != 5) {
            System.err.println("usage: JaxwsDriver ENDPOINT USER_ID SECRET_KEY [OPERATION PARAMS_JSON]");
            System.exit(2);
        }
        JaxwsDriver driver = new JaxwsDriver(args[0], args[1], args[2]);
        if (args.length == 5) System.exit(driver.oneCall(args[3], Json.read(args[4])));
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, "UTF-8"));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isBlank()) continue;
            @SuppressWarnings("unchecked")
            Map<String, Object> request = (Map<String, Object>) Json.read(line);
            Object params = request.get("params");
            driver.oneCall((String) request.get("operation"), params == null ? new LinkedHashMap<>() : params);
        }
    }

    /** Just enough JSON for this driver (the JDK has none). */
    static final class Json {
        final String text;
        int at;

        Json(String text) { this.text = text; }

        static Object read(String text) {
            Json json = new Json(text);
            Object value = json.value();
            json.space();
            if (json.at != text.length()) throw json.error("trailing text");
            return value;
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("JSON: " + what + " at " + at);
        }

        void space() { while (at < text.length() && Character.isWhitespace(text.charAt(at))) at++; }

        boolean take(char c) {
            space();
            if (at < text.length() && text.charAt(at) == c) { at++; return true; }
            return false;
        }

        void expect(char c) { if (!take(c)) throw error("expected '" + c + "'"); }

        Object value() {
            space();
            if (at >= text.length()) throw error("unexpected end");
            char c = text.charAt(at);
            if (c == '{') {
                at++;
                Map<String, Object> object = new LinkedHashMap<>();
                if (take('}')) return object;
                do {
                    space();
                    String key = string();
                    expect(':');
                    object.put(key, value());
                } while (take(','));
                expect('}');
                return object;
            }
            if (c == '[') {
                at++;
                List<Object> list = new ArrayList<>();
                if (take(']')) return list;
                do list.add(value()); while (take(','));
                expect(']');
                return list;
            }
            if (c == '"') return string();
            for (String word : new String[] {"true", "false", "null"}) {
                if (text.startsWith(word, at)) {
                    at += word.length();
                    return word.equals("null") ? null : Boolean.valueOf(word);
                }
            }
            int start = at;
            while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) at++;
            String number = text.substring(start, at);
            if (number.isEmpty()) throw error("unexpected '" + c + "'");
            return number.matches("-?\\d+") ? (Object) Long.valueOf(number) : (Object) Double.valueOf(number);
        }

        String string() {
            if (at >= text.length() || text.charAt(at) != '"') throw error("expected a string");
            StringBuilder out = new StringBuilder();
            for (at++; at < text.length(); at++) {
                char c = text.charAt(at);
                if (c == '"') { at++; return out.toString(); }
                if (c != '\\') { out.append(c); continue; }
                char escaped = text.charAt(++at);
                switch (escaped) {
                    case 'n': out.append('\n'); break;
                    case 't': out.append('\t'); break;
                    case 'r': out.append('\r'); break;
                    case 'b': out.append('\b'); break;
                    case 'f': out.append('\f'); break;
                    case 'u': out.append((char) Integer.parseInt(text.substring(at + 1, at + 5), 16)); at += 4; break;
                    default: out.append(escaped);
                }
            }
            throw error("unterminated string");
        }

        static String write(Object value) {
            if (value == null) return "null";
            if (value instanceof Boolean || value instanceof Number) return value.toString();
            if (value instanceof Map) {
                StringJoiner out = new StringJoiner(", ", "{", "}");
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    out.add(write(entry.getKey().toString()) + ": " + write(entry.getValue()));
                }
                return out.toString();
            }
            if (value instanceof List) {
                StringJoiner out = new StringJoiner(", ", "[", "]");
                for (Object item : (List<?>) value) out.add(write(item));
                return out.toString();
            }
            StringBuilder out = new StringBuilder("\"");
            for (char c : value.toString().toCharArray()) {
                if (c == '"' || c == '\\') out.append('\\').append(c);
                else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                else out.append(c);
            }
            return out.append('"').toString();
        }
    }
}
