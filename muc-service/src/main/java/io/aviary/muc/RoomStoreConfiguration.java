package io.aviary.muc;

import io.aviary.xep0045.InMemoryRoomStore;
import io.aviary.xep0045.RoomStore;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** Where rooms are kept. */
@AutoConfiguration
public class RoomStoreConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public RoomStore roomStore() {
        return new InMemoryRoomStore();
    }
}
