package io.rrsis4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** refs(unc).p as CPython writes it with protocols 2, 4 and 5 (bytes from pickle.dumps). */
class RrsisdPickleProtocolTest {
    @TempDir
    Path dir;

    // [{'ref_id': 7, 'ann_id': 1, 'image_id': 1, 'category_id': 8, 'split': 'testA', 'sent_ids': [3],
    //   'sentences': [{'raw': 'The tank', 'sent': 'the tank', 'tokens': ['the', 'tank'], 'sent_id': 3}], 'file_name': 'a.jpg'}]
    private static final String P2 = "gAJdcQB9cQEoWAYAAAByZWZfaWRxAksHWAYAAABhbm5faWRxA0sBWAgAAABpbWFnZV9pZHEESwFYCwAAAGNhdGVnb3J5X2lkcQVLCFgFAAAAc3BsaXRxBlgFAAAAdGVzdEFxB1gIAAAAc2VudF9pZHNxCF1xCUsDYVgJAAAAc2VudGVuY2VzcQpdcQt9cQwoWAMAAAByYXdxDVgIAAAAVGhlIHRhbmtxDlgEAAAAc2VudHEPWAgAAAB0aGUgdGFua3EQWAYAAAB0b2tlbnNxEV1xEihYAwAAAHRoZXETWAQAAAB0YW5rcRRlWAcAAABzZW50X2lkcRVLA3VhWAkAAABmaWxlX25hbWVxFlgFAAAAYS5qcGdxF3VhLg==";
    private static final String P4 = "gASVywAAAAAAAABdlH2UKIwGcmVmX2lklEsHjAZhbm5faWSUSwGMCGltYWdlX2lklEsBjAtjYXRlZ29yeV9pZJRLCIwFc3BsaXSUjAV0ZXN0QZSMCHNlbnRfaWRzlF2USwNhjAlzZW50ZW5jZXOUXZR9lCiMA3Jhd5SMCFRoZSB0YW5rlIwEc2VudJSMCHRoZSB0YW5rlIwGdG9rZW5zlF2UKIwDdGhllIwEdGFua5RljAdzZW50X2lklEsDdWGMCWZpbGVfbmFtZZSMBWEuanBnlHVhLg==";
    private static final String P5 = "gAWVywAAAAAAAABdlH2UKIwGcmVmX2lklEsHjAZhbm5faWSUSwGMCGltYWdlX2lklEsBjAtjYXRlZ29yeV9pZJRLCIwFc3BsaXSUjAV0ZXN0QZSMCHNlbnRfaWRzlF2USwNhjAlzZW50ZW5jZXOUXZR9lCiMA3Jhd5SMCFRoZSB0YW5rlIwEc2VudJSMCHRoZSB0YW5rlIwGdG9rZW5zlF2UKIwDdGhllIwEdGFua5RljAdzZW50X2lklEsDdWGMCWZpbGVfbmFtZZSMBWEuanBnlHVhLg==";

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 5})
    void readsPicklesOfEveryProtocol(int protocol) throws Exception {
        String b64 = protocol == 2 ? P2 : protocol == 4 ? P4 : P5;
        Files.createDirectories(dir.resolve("rrsisd"));
        Files.write(dir.resolve("rrsisd/refs(unc).p"), Base64.getDecoder().decode(b64));
        // a 6 x 4 image; the tank is the square (1,1)-(4,3) given as a polygon
        Files.writeString(dir.resolve("rrsisd/instances.json"), "{\"images\":[{\"id\":1,\"file_name\":\"a.jpg\",\"height\":4,"
                + "\"width\":6}],\"annotations\":[{\"id\":1,\"image_id\":1,\"category_id\":8,\"segmentation\":[[1,1,4,1,4,3,1,3]]}],"
                + "\"categories\":[{\"id\":8,\"name\":\"storage tank\"}]}");
        Images.write(new BufferedImage(6, 4, BufferedImage.TYPE_INT_RGB), "jpg", dir.resolve("images/rrsisd/JPEGImages/a.jpg"));
        List<ReferringSample> test = new RrsisdReader().read(dir, "test");
        assertEquals(1, test.size());
        ReferringSample s = test.get(0);
        assertEquals("The tank", s.sentence());
        assertEquals("ref7_sent3", s.id());
        assertEquals("storage tank", s.category());
        assertEquals("test", s.split());
        assertEquals(6, s.mask().load().count());
        assertEquals(0, new RrsisdReader().read(dir, "train").size());
    }
}
