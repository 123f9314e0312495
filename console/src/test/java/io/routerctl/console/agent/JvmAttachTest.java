package io.routerctl.console.agent;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JvmAttachTest {

    private static final String HEAD = "java.lang.Object/null\n|--java.lang.String/null\n";

    @Test
    void nettyIsFoundByItsPipelineClassPlainOrRelocated() {
        assertThat(JvmAttach.hasNetty(HEAD + "|--io.netty.channel.DefaultChannelPipeline/0x00007f30880e6d10\n")).isTrue();
        assertThat(JvmAttach.hasNetty(HEAD
                + "|--io.grpc.netty.shaded.io.netty.channel.DefaultChannelPipeline/0x00007f30880e6d10\n")).isTrue();
    }

    @Test
    void theCopyIsToldByItsPackagePrefix() {
        assertThat(JvmAttach.nettyPrefix(HEAD + "|--io.netty.channel.DefaultChannelPipeline/0x1\n")).isEmpty();
        assertThat(JvmAttach.nettyPrefix(HEAD + "|--io.grpc.netty.shaded.io.netty.channel.DefaultChannelPipeline/0x1\n"))
                .isEqualTo("io.grpc.netty.shaded.");
    }

    @Test
    void aJvmWithoutNettyOrWithOnlyALookAlikeHasNone() {
        assertThat(JvmAttach.hasNetty(HEAD)).isFalse();
        assertThat(JvmAttach.hasNetty(HEAD + "|--com.example.fooio.netty.channel.DefaultChannelPipeline/0x1\n")).isFalse();
        // A nested class of the pipeline alone is not the pipeline (its name goes on after the '$').
        assertThat(JvmAttach.hasNetty(HEAD + "|  |--io.netty.channel.DefaultChannelPipeline$TailContext/0x1\n")).isFalse();
    }
}
