package io.routerctl.console.agent;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JvmAttachTest {

    private static final String HEAD = "java.lang.Object/null\n|--java.lang.String/null\n";

    @Test
    void nettyIsFoundByItsPipelineClassPlainOrRelocated() {
        assertThat(JvmAttach.nettyPrefix(HEAD + "|--io.netty.channel.DefaultChannelPipeline/0x00007f30880e6d10\n")).isNotNull();
        assertThat(JvmAttach.nettyPrefix(HEAD
                + "|--io.grpc.netty.shaded.io.netty.channel.DefaultChannelPipeline/0x00007f30880e6d10\n")).isNotNull();
    }

    @Test
    void theCopyIsToldByItsPackagePrefix() {
        assertThat(JvmAttach.nettyPrefix(HEAD + "|--io.netty.channel.DefaultChannelPipeline/0x1\n")).isEmpty();
        assertThat(JvmAttach.nettyPrefix(HEAD + "|--io.grpc.netty.shaded.io.netty.channel.DefaultChannelPipeline/0x1\n"))
                .isEqualTo("io.grpc.netty.shaded.");
    }

    @Test
    void aJvmWithoutNettyOrWithOnlyALookAlikeHasNone() {
        assertThat(JvmAttach.nettyPrefix(HEAD)).isNull();
        assertThat(JvmAttach.nettyPrefix(HEAD + "|--com.example.fooio.netty.channel.DefaultChannelPipeline/0x1\n")).isNull();
        // A nested class of the pipeline alone is not the pipeline (its name goes on after the '$').
        assertThat(JvmAttach.nettyPrefix(HEAD + "|  |--io.netty.channel.DefaultChannelPipeline$TailContext/0x1\n")).isNull();
    }
}
